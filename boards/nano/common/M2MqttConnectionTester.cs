using Tfb.Commissioning;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary><c>net test</c> on a board: a separate M2Mqtt session connects with the configured options and disconnects.</summary>
    public sealed class M2MqttConnectionTester : IConnectionTester
    {
        /// <summary>Returns 0 when the broker accepted the connection, else the CONNACK or transport code.</summary>
        public int TestConnection(MqttConnectOptions options, out string detail)
        {
            M2MqttSession session = new M2MqttSession(1);
            MqttConnectOptions probe = new MqttConnectOptions();
            probe.Host = options.Host;
            probe.Port = options.Port;
            // A distinct client id: the board's own session must not be kicked off the broker by the test.
            probe.ClientId = options.ClientId + "-nettest";
            probe.Username = options.Username;
            probe.Password = options.Password;
            probe.UseTls = options.UseTls;
            probe.CaCertificatePem = options.CaCertificatePem;
            probe.KeepAliveSeconds = 10;
            long start = System.DateTime.UtcNow.Ticks;
            int code = session.Connect(probe);
            long ms = (System.DateTime.UtcNow.Ticks - start) / System.TimeSpan.TicksPerMillisecond;
            if (code == 0) session.Disconnect();
            detail = (code == 0 ? "connected" : "refused (" + code.ToString() + ")") + " in " + ms.ToString() + " ms";
            return code;
        }
    }
}
