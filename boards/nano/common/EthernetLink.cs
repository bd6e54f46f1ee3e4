using System;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// Brings up the on-board Ethernet interface (DHCP or static, from settings) and waits for an address,
    /// and starts SNTP for the wall clock. Called once at boot from the MQTT/background thread, never the scan.
    /// </summary>
    public static class EthernetLink
    {
        /// <summary>
        /// Configures the first Ethernet interface and waits up to <paramref name="timeoutMs"/> for an IP address.
        /// </summary>
        /// <param name="def">The board's ethernet line.</param>
        /// <param name="staticIp">Static address from settings, or null for DHCP (when the board line allows it).</param>
        /// <param name="staticMask">Subnet mask with a static address.</param>
        /// <param name="staticGateway">Gateway with a static address.</param>
        /// <param name="timeoutMs">How long to wait for the link and address.</param>
        /// <returns>The IPv4 address, or null when no interface came up (NetworkHelper.Status says why).</returns>
        public static string Connect(EthernetDef def, string staticIp, string staticMask, string staticGateway, int timeoutMs)
        {
            NetworkInterface eth = null;
            NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].NetworkInterfaceType == NetworkInterfaceType.Ethernet)
                {
                    eth = all[i];
                    break;
                }
            }
            if (eth == null) return null;
            if (staticIp != null) eth.EnableStaticIPv4(staticIp, staticMask, staticGateway);
            else if (def.Dhcp && !eth.IsDhcpEnabled) eth.EnableDhcp();
            CancellationTokenSource cts = new CancellationTokenSource(timeoutMs);
            bool ok = NetworkHelper.SetupAndConnectNetwork(cts.Token, false);
            cts.Dispose();
            return ok ? eth.IPv4Address : null;
        }

        /// <summary>Why the last <see cref="Connect"/> failed (nanoFramework's own status).</summary>
        public static NetworkHelperStatus Status { get { return NetworkHelper.Status; } }

        /// <summary>Starts SNTP with the given servers (settings); the wall clock becomes valid once it syncs.</summary>
        public static void StartSntp(string server1, string server2)
        {
            if (server1 != null) Sntp.Server1 = server1;
            if (server2 != null) Sntp.Server2 = server2;
            if (!Sntp.IsStarted) Sntp.Start();
            else Sntp.UpdateNow();
        }
    }
}
