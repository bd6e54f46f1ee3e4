using Tfb.Hal;
using Tfb.Settings;

namespace Tfb.Commissioning
{
    /// <summary>
    /// The network and broker settings (<c>net.*</c>, engineer level, take effect after a restart) with their
    /// validation, and the MQTT connect options built from them.
    /// </summary>
    /// <remarks>
    /// Values reach the registry also through <c>settings set</c> and replayed backups, which check only type and
    /// length; so every value is validated again where it is used (<see cref="TryBuildConnectOptions"/>,
    /// <see cref="TryGetIpConfig"/>) and <c>net show</c> flags bad ones. The CA certificate is stored as the
    /// base64 body of one PEM block (no header, footer or line breaks) in <c>net.broker.ca</c>. Thread-safe
    /// (reads the registry only).
    /// </remarks>
    public sealed class NetworkSettings
    {
        /// <summary>Longest stored CA certificate body, base64 characters (about 2 KB of DER).</summary>
        public const int MaxCaChars = 2800;
        /// <summary>Longest host name.</summary>
        public const int MaxHostLength = 64;
        /// <summary>Longest Sparkplug group or edge node id.</summary>
        public const int MaxSparkplugIdLength = 32;
        /// <summary>PEM header of the accepted block.</summary>
        public const string PemBegin = "-----BEGIN CERTIFICATE-----";
        /// <summary>PEM footer of the accepted block.</summary>
        public const string PemEnd = "-----END CERTIFICATE-----";
        /// <summary>Base64 characters per PEM line written by <see cref="CaPemLine"/>.</summary>
        public const int PemLineChars = 64;

        private readonly SettingsRegistry _s;

        internal NetworkSettings(SettingsRegistry s, string boardName)
        {
            _s = s;
            Dhcp = Add(SettingDef.Flag("net.ip.dhcp", true, AccessLevel.Engineer, "Take the IP configuration from DHCP (real boards)"));
            Address = Add(SettingDef.Text("net.ip.address", 15, "", AccessLevel.Engineer, "Static IPv4 address (with net.ip.dhcp false)"));
            Mask = Add(SettingDef.Text("net.ip.mask", 15, "", AccessLevel.Engineer, "Static IPv4 subnet mask"));
            Gateway = Add(SettingDef.Text("net.ip.gateway", 15, "", AccessLevel.Engineer, "Static IPv4 default gateway"));
            Dns = Add(SettingDef.Text("net.ip.dns", 15, "", AccessLevel.Engineer, "Static IPv4 DNS server (empty: none)"));
            Host = Add(SettingDef.Text("net.broker.host", MaxHostLength, "", AccessLevel.Engineer, "MQTT broker host name or IPv4 address"));
            Port = Add(SettingDef.Number("net.broker.port", "", SettingType.Integer, 1, 65535, 1883, AccessLevel.Engineer, "MQTT broker port"));
            Tls = Add(SettingDef.Flag("net.broker.tls", false, AccessLevel.Engineer, "Connect to the broker over TLS (needs net.broker.ca)"));
            Ca = Add(SettingDef.Text("net.broker.ca", MaxCaChars, "", AccessLevel.Engineer, "Broker CA certificate, PEM body in base64; enter with net ca begin"));
            User = Add(SettingDef.Text("net.broker.user", 64, "", AccessLevel.Engineer, "Broker user name (empty: anonymous)"));
            SettingDef pw = SettingDef.Text("net.broker.password", 64, "", AccessLevel.Engineer, "Broker password");
            pw.Secret = true;
            Password = Add(pw);
            Group = Add(SettingDef.Text("net.sparkplug.group", MaxSparkplugIdLength, "tfb", AccessLevel.Engineer, "Sparkplug group id (no + / #)"));
            string node = boardName != null && IsValidSparkplugId(boardName) ? boardName : "node";
            Node = Add(SettingDef.Text("net.sparkplug.node", MaxSparkplugIdLength, node, AccessLevel.Engineer, "Sparkplug edge node id (no + / #)"));
        }

        /// <summary>Setting index of <c>net.ip.dhcp</c>.</summary>
        public int Dhcp { get; private set; }
        /// <summary>Setting index of <c>net.ip.address</c>.</summary>
        public int Address { get; private set; }
        /// <summary>Setting index of <c>net.ip.mask</c>.</summary>
        public int Mask { get; private set; }
        /// <summary>Setting index of <c>net.ip.gateway</c>.</summary>
        public int Gateway { get; private set; }
        /// <summary>Setting index of <c>net.ip.dns</c>.</summary>
        public int Dns { get; private set; }
        /// <summary>Setting index of <c>net.broker.host</c>.</summary>
        public int Host { get; private set; }
        /// <summary>Setting index of <c>net.broker.port</c>.</summary>
        public int Port { get; private set; }
        /// <summary>Setting index of <c>net.broker.tls</c>.</summary>
        public int Tls { get; private set; }
        /// <summary>Setting index of <c>net.broker.ca</c>.</summary>
        public int Ca { get; private set; }
        /// <summary>Setting index of <c>net.broker.user</c>.</summary>
        public int User { get; private set; }
        /// <summary>Setting index of <c>net.broker.password</c> (secret).</summary>
        public int Password { get; private set; }
        /// <summary>Setting index of <c>net.sparkplug.group</c>.</summary>
        public int Group { get; private set; }
        /// <summary>Setting index of <c>net.sparkplug.node</c>.</summary>
        public int Node { get; private set; }

        private int Add(SettingDef d)
        {
            d.NeedsRestart = true;
            return _s.Add(d);
        }

        /// <summary>The static IP configuration, validated; false with the reason when DHCP is off and something is wrong.</summary>
        public bool TryGetIpConfig(out bool dhcp, out string address, out string mask, out string gateway, out string dns, out string problem)
        {
            dhcp = _s.GetBool(Dhcp);
            address = _s.GetText(Address);
            mask = _s.GetText(Mask);
            gateway = _s.GetText(Gateway);
            dns = _s.GetText(Dns);
            problem = null;
            if (dhcp) return true;
            if (!IsValidIpv4(address)) problem = "net.ip.address is not an IPv4 address";
            else if (!IsValidMask(mask)) problem = "net.ip.mask is not a contiguous IPv4 mask";
            else if (!IsValidIpv4(gateway)) problem = "net.ip.gateway is not an IPv4 address";
            else if (dns.Length > 0 && !IsValidIpv4(dns)) problem = "net.ip.dns is not an IPv4 address";
            return problem == null;
        }

        /// <summary>
        /// MQTT connect options from the settings, validated (host, ids, TLS needs a CA). The client id is the edge
        /// node id; <paramref name="clientIdSuffix"/> is appended (e.g. <c>-test</c> for net test).
        /// </summary>
        public bool TryBuildConnectOptions(string clientIdSuffix, out MqttConnectOptions options, out string problem)
        {
            options = null;
            string host = _s.GetText(Host);
            string group = _s.GetText(Group);
            string node = _s.GetText(Node);
            bool tls = _s.GetBool(Tls);
            string ca = _s.GetText(Ca);
            if (!IsValidHost(host)) { problem = "net.broker.host is empty or not a host name"; return false; }
            if (!IsValidSparkplugId(group)) { problem = "net.sparkplug.group is empty or holds + / # or a space"; return false; }
            if (!IsValidSparkplugId(node)) { problem = "net.sparkplug.node is empty or holds + / # or a space"; return false; }
            if (tls && ca.Length == 0) { problem = "net.broker.tls is on but no CA certificate is stored (net ca begin)"; return false; }
            if (ca.Length > 0 && !IsValidCertificateBody(ca, out problem)) { problem = "net.broker.ca: " + problem; return false; }
            MqttConnectOptions o = new MqttConnectOptions();
            o.Host = host;
            o.Port = _s.GetInt(Port);
            o.ClientId = node + (clientIdSuffix == null ? "" : clientIdSuffix);
            string user = _s.GetText(User);
            o.Username = user.Length > 0 ? user : null;
            string pw = _s.GetText(Password);
            o.Password = pw.Length > 0 ? pw : null;
            o.UseTls = tls;
            o.CaCertificatePem = tls ? CaPem() : null;
            o.KeepAliveSeconds = 30;
            options = o;
            problem = null;
            return true;
        }

        /// <summary>The stored CA as PEM text (header, 64-character lines, footer, '\n' line ends), or null when none.</summary>
        public string CaPem()
        {
            string body = _s.GetText(Ca);
            if (body.Length == 0) return null;
            string pem = PemBegin + "\n";
            int lines = CaPemLineCount(body);
            for (int i = 0; i < lines; i++) pem += CaPemLine(body, i) + "\n";
            return pem + PemEnd + "\n";
        }

        /// <summary>Number of 64-character lines of a stored body.</summary>
        public static int CaPemLineCount(string body)
        {
            return (body.Length + PemLineChars - 1) / PemLineChars;
        }

        /// <summary>Line <paramref name="index"/> of a stored body.</summary>
        public static string CaPemLine(string body, int index)
        {
            int start = index * PemLineChars;
            int n = body.Length - start;
            if (n > PemLineChars) n = PemLineChars;
            return body.Substring(start, n);
        }

        /// <summary>Dotted-quad IPv4, each part 0-255 without leading zeros.</summary>
        public static bool IsValidIpv4(string s)
        {
            uint v;
            return TryParseIpv4(s, out v);
        }

        /// <summary>A dotted-quad mask with contiguous leading ones (0.0.0.0 and 255.255.255.255 refused).</summary>
        public static bool IsValidMask(string s)
        {
            uint v;
            if (!TryParseIpv4(s, out v)) return false;
            if (v == 0 || v == 0xFFFFFFFF) return false;
            uint inverted = ~v;
            return (inverted & (inverted + 1)) == 0;
        }

        internal static bool TryParseIpv4(string s, out uint value)
        {
            value = 0;
            if (s == null || s.Length < 7 || s.Length > 15) return false;
            int parts = 0;
            int acc = 0;
            int digits = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                char c = i < s.Length ? s[i] : '.';
                if (c == '.')
                {
                    if (digits == 0 || acc > 255) return false;
                    value = (value << 8) | (uint)acc;
                    parts++;
                    acc = 0;
                    digits = 0;
                    continue;
                }
                if (c < '0' || c > '9') return false;
                if (digits > 0 && acc == 0) return false;
                acc = acc * 10 + (c - '0');
                digits++;
                if (digits > 3) return false;
            }
            return parts == 4;
        }

        /// <summary>A host name (letters, digits, '-', '.', 1-64 chars, no empty label) or an IPv4 address.</summary>
        public static bool IsValidHost(string s)
        {
            if (s == null || s.Length == 0 || s.Length > MaxHostLength) return false;
            if (s[0] == '.' || s[s.Length - 1] == '.' || s[0] == '-') return false;
            char prev = ' ';
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                if (!ok) return false;
                if (c == '.' && prev == '.') return false;
                prev = c;
            }
            return true;
        }

        /// <summary>
        /// A Sparkplug B group or edge node id: 1-32 printable ASCII characters without the MQTT topic
        /// characters '+', '/', '#' and without spaces.
        /// </summary>
        public static bool IsValidSparkplugId(string s)
        {
            if (s == null || s.Length == 0 || s.Length > MaxSparkplugIdLength) return false;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c <= ' ' || c > '~' || c == '+' || c == '/' || c == '#') return false;
            }
            return true;
        }

        /// <summary>
        /// True when <paramref name="body"/> is the base64 of one DER certificate: base64 alphabet with padding
        /// only at the end, a length that is a multiple of 4, and a DER SEQUENCE whose declared length is exactly
        /// the decoded length.
        /// </summary>
        public static bool IsValidCertificateBody(string body, out string problem)
        {
            problem = null;
            if (body == null || body.Length < 8) { problem = "certificate too short"; return false; }
            if (body.Length > MaxCaChars) { problem = "certificate longer than " + MaxCaChars + " base64 characters"; return false; }
            if (body.Length % 4 != 0) { problem = "base64 length is not a multiple of 4"; return false; }
            int pad = 0;
            for (int i = 0; i < body.Length; i++)
            {
                char c = body[i];
                if (c == '=')
                {
                    if (i < body.Length - 2) { problem = "'=' inside the base64 text"; return false; }
                    pad++;
                    continue;
                }
                if (pad > 0 || Base64Value(c) < 0) { problem = "character '" + c + "' is not base64"; return false; }
            }
            int decoded = body.Length / 4 * 3 - pad;
            int b0 = DecodedByte(body, 0);
            int b1 = DecodedByte(body, 1);
            if (b0 != 0x30) { problem = "not a DER certificate (no SEQUENCE)"; return false; }
            int total;
            if (b1 < 0x80) total = 2 + b1;
            else if (b1 == 0x81) total = 3 + DecodedByte(body, 2);
            else if (b1 == 0x82) total = 4 + (DecodedByte(body, 2) << 8) + DecodedByte(body, 3);
            else { problem = "not a DER certificate (length form)"; return false; }
            if (total != decoded) { problem = "DER length " + total + " does not match the " + decoded + " bytes given (lines missing?)"; return false; }
            return true;
        }

        private static int DecodedByte(string body, int index)
        {
            int group = index / 3;
            int p = group * 4;
            int v = (Base64Value(body[p]) << 18) | (Base64Value(body[p + 1]) << 12) | (Base64Value(Or(body[p + 2])) << 6) | Base64Value(Or(body[p + 3]));
            return (v >> (16 - 8 * (index % 3))) & 0xFF;
        }

        private static char Or(char c)
        {
            return c == '=' ? 'A' : c;
        }

        private static int Base64Value(char c)
        {
            if (c >= 'A' && c <= 'Z') return c - 'A';
            if (c >= 'a' && c <= 'z') return c - 'a' + 26;
            if (c >= '0' && c <= '9') return c - '0' + 52;
            if (c == '+') return 62;
            if (c == '/') return 63;
            return -1;
        }
    }
}
