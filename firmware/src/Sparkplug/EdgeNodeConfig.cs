using Tfb.Hal;

namespace Tfb.Sparkplug
{
    /// <summary>Configuration of an <see cref="EdgeNodeSession"/>, filled from settings at boot.</summary>
    public sealed class EdgeNodeConfig
    {
        /// <summary>Sparkplug group id (e.g. "TfbLine1").</summary>
        public string GroupId;

        /// <summary>Edge node id (e.g. "anneal-01"); also the MQTT client id when Connection.ClientId is null.</summary>
        public string EdgeNodeId;

        /// <summary>Broker, credentials, TLS and keepalive; the session fills in clean session and the Will.</summary>
        public MqttConnectOptions Connection;

        /// <summary>Firmware version for the NBIRTH metric "Properties/Firmware Version".</summary>
        public string FirmwareVersion;

        /// <summary>Board name for "Properties/Board".</summary>
        public string Board;

        /// <summary>Asset id for "Properties/Asset Id".</summary>
        public string AssetId;

        /// <summary>First reconnect delay (ms).</summary>
        public int ReconnectMinMs = 1000;

        /// <summary>Reconnect delay cap (ms).</summary>
        public int ReconnectMaxMs = 60000;

        /// <summary>Seed of the jitter PRNG (a board can use its MAC; tests a constant).</summary>
        public uint JitterSeed = 1;

        /// <summary>Rebirth requests within this time after a birth are ignored (ms); the birth just sent answers them.</summary>
        public int RebirthDebounceMs = 5000;

        /// <summary>Consecutive failed connects before <see cref="Tfb.Codes.AlarmCode.BrokerUnreachable"/> is raised.</summary>
        public int BrokerAlarmAfterFailures = 3;

        /// <summary>Payload buffer (bytes): must hold the largest birth.</summary>
        public int PayloadBufferBytes = 4096;

        /// <summary>Most metrics one NCMD/DCMD may carry.</summary>
        public int MaxCommandMetrics = 16;

        /// <summary>Inbound command messages buffered between Poll calls; more are dropped and rejected as Busy.</summary>
        public int CommandQueueLength = 8;

        /// <summary>Capacity of the node metric registry (including the 5 built-in metrics; the board metrics take 9 plus one per declared input).</summary>
        public int NodeMetricCapacity = 64;

        /// <summary>
        /// True for a transport that can only carry a 7-bit-clean Will (nanoFramework.M2Mqtt takes the Will as a
        /// string, see Tfb.Boards.Io.SevenBitWill): bdSeq then runs 1..127 (wrapping 127 -> 1) instead of the
        /// specified 0..255, so the NDEATH protobuf (bdSeq metric only, no payload timestamp, no seq) holds no
        /// 0x00 byte and no byte &gt;= 0x80. Deviation from Sparkplug B 3.0 (bdSeq 0..255): consumers only
        /// compare the NDEATH bdSeq with the NBIRTH bdSeq, which stay equal, so a host application still matches
        /// them. False (default, the host transport): 0..255 as specified. See docs/mqtt.md.
        /// </summary>
        public bool SevenBitWill;

        /// <summary>True: data messages name metrics by alias only (births carry name and alias).</summary>
        public bool UseAliases = true;
    }
}
