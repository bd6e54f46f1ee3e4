// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.Net 1.11.60 (read at tag v1.11.54; see the fact sheet's caveat). NetworkHelper is in
// namespace nanoFramework.Networking inside this assembly.
using System.Reflection;
using System.Threading;

[assembly: AssemblyVersion("1.11.60.0")]

namespace System.Net.NetworkInformation
{
    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
        WirelessAP = 72,
    }

    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex) { throw null; }
        public static NetworkInterface[] GetAllNetworkInterfaces() { throw null; }
        public static bool GetIsNetworkAvailable() { throw null; }
        public void EnableDhcp() { throw null; }
        public void EnableStaticIPv4(string ipv4Address, string ipv4SubnetMask, string ipv4GatewayAddress) { throw null; }
        public string IPv4Address { get { throw null; } }
        public bool IsDhcpEnabled { get { throw null; } }
        public byte[] PhysicalAddress { get { throw null; } set { throw null; } }
        public NetworkInterfaceType NetworkInterfaceType { get { throw null; } }
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        public X509Certificate() { throw null; }
        public X509Certificate(byte[] certificate) { throw null; }
        public X509Certificate(string certificate) { throw null; }
    }
}

namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
        Reconnecting,
    }

    public static class NetworkHelper
    {
        public static bool SetupAndConnectNetwork(CancellationToken token = default, bool requiresDateTime = false) { throw null; }
        public static void SetupNetworkHelper(bool requiresDateTime = false) { throw null; }
        public static ManualResetEvent NetworkReady { get { throw null; } }
        public static NetworkHelperStatus Status { get { throw null; } }
        public static System.Exception HelperException { get { throw null; } }
        public static void Reset() { throw null; }
    }
}
