// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.M2Mqtt.Core 5.1.220: the client interface, its nested delegates, event args and enums.
using System;
using System.Collections;
using System.Reflection;
using nanoFramework.M2Mqtt.Messages;

[assembly: AssemblyVersion("5.1.220.0")]

namespace nanoFramework.M2Mqtt.Messages
{
    public enum MqttQoSLevel : byte
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
        GrantedFailure = 0x80,
    }

    public enum MqttReasonCode : byte
    {
        Success = 0x00,
        UnspecifiedError = 0x80,
    }

    public class MqttMsgPublishEventArgs : EventArgs
    {
        public MqttMsgPublishEventArgs(string topic, byte[] message, bool dupFlag, MqttQoSLevel qosLevel, bool retain) { throw null; }
        public string Topic { get { throw null; } }
        public byte[] Message { get { throw null; } }
        public bool DupFlag { get { throw null; } }
        public MqttQoSLevel QosLevel { get { throw null; } }
        public bool Retain { get { throw null; } }
    }

    public class MqttMsgPublishedEventArgs : EventArgs
    {
        internal MqttMsgPublishedEventArgs() { }
        public ushort MessageId { get { throw null; } }
        public bool IsPublished { get { throw null; } }
    }

    public class MqttMsgSubscribedEventArgs : EventArgs
    {
        internal MqttMsgSubscribedEventArgs() { }
        public ushort MessageId { get { throw null; } }
        public MqttQoSLevel[] GrantedQoSLevels { get { throw null; } }
    }

    public class MqttMsgUnsubscribedEventArgs : EventArgs
    {
        internal MqttMsgUnsubscribedEventArgs() { }
        public ushort MessageId { get { throw null; } }
    }
}

namespace nanoFramework.M2Mqtt
{
    public enum MqttProtocolVersion : byte
    {
        Version_3_1 = 0x03,
        Version_3_1_1 = 0x04,
        Version_5 = 0x05,
    }

    public enum MqttSslProtocols
    {
        None,
        SSLv3,
        TLSv1_0,
        TLSv1_1,
        TLSv1_2,
        TLSv1_3,
    }

    public interface IMqttClient
    {
        bool IsConnected { get; }
        void Init(string brokerHostName, int brokerPort, bool secure, byte[] caCert, byte[] clientCert, MqttSslProtocols sslProtocol);
        MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod);
        void Disconnect();
        void Close();
        ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels);
        ushort Unsubscribe(string[] topics);
        ushort Publish(string topic, byte[] message);
        ushort Publish(string topic, byte[] message, string contentType);
        ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain);

        delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);
        delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);
        delegate void MqttMsgSubscribedEventHandler(object sender, MqttMsgSubscribedEventArgs e);
        delegate void MqttMsgUnsubscribedEventHandler(object sender, MqttMsgUnsubscribedEventArgs e);
        delegate void ConnectionClosedEventHandler(object sender, EventArgs e);

        event MqttMsgPublishEventHandler MqttMsgPublishReceived;
        event MqttMsgPublishedEventHandler MqttMsgPublished;
        event MqttMsgSubscribedEventHandler MqttMsgSubscribed;
        event MqttMsgUnsubscribedEventHandler MqttMsgUnsubscribed;
        event ConnectionClosedEventHandler ConnectionClosed;
    }
}
