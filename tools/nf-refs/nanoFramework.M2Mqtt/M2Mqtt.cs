// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.M2Mqtt 5.1.220: MqttClient. Will payload is a string (sent as UTF-8); QoS 1 retries 3 times
// and then raises MqttMsgPublished with IsPublished = false; events arrive on the client's own thread.
using System;
using System.Collections;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt.Messages;

[assembly: AssemblyVersion("5.1.220.0")]

namespace nanoFramework.M2Mqtt
{
    public class MqttClient : IMqttClient, IDisposable
    {
        public MqttClient(string brokerHostName) { throw null; }
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) { throw null; }
        public bool IsConnected { get { throw null; } }
        public string ClientId { get { throw null; } }
        public MqttProtocolVersion ProtocolVersion { get { throw null; } set { throw null; } }
        public void Init(string brokerHostName, int brokerPort, bool secure, byte[] caCert, byte[] clientCert, MqttSslProtocols sslProtocol) { throw null; }
        public MqttReasonCode Connect(string clientId) { throw null; }
        public MqttReasonCode Connect(string clientId, bool cleanSession) { throw null; }
        public MqttReasonCode Connect(string clientId, string username, string password) { throw null; }
        public MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession, ushort keepAlivePeriod) { throw null; }
        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod) { throw null; }
        public void Disconnect() { throw null; }
        public void Close() { throw null; }
        public void Dispose() { throw null; }
        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) { throw null; }
        public ushort Unsubscribe(string[] topics) { throw null; }
        public ushort Publish(string topic, byte[] message) { throw null; }
        public ushort Publish(string topic, byte[] message, string contentType) { throw null; }
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties) { throw null; }
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) { throw null; }
        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived;
        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished;
        public event IMqttClient.MqttMsgSubscribedEventHandler MqttMsgSubscribed;
        public event IMqttClient.MqttMsgUnsubscribedEventHandler MqttMsgUnsubscribed;
        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed;
    }
}
