using Tfb.Codes;
using Tfb.Hal;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Text;

namespace Tfb.Commissioning
{
    /// <summary><c>net ...</c>: network, broker, credentials, Sparkplug ids, CA certificate, connection test.</summary>
    internal sealed class NetCommands : ICommandHandler
    {
        /// <summary>Most lines of one PEM block (2800 base64 characters / 64 + header and footer, with room).</summary>
        internal const int MaxPemLines = 60;

        private const int Show = 1;
        private const int IpDhcp = 2;
        private const int IpStatic = 3;
        private const int Broker = 4;
        private const int Credentials = 5;
        private const int Sparkplug = 6;
        private const int CaBegin = 7;
        private const int CaEnd = 8;
        private const int CaShow = 9;
        private const int CaClear = 10;
        private const int Test = 11;

        internal const int DetailIp = 1;
        internal const int DetailBroker = 2;
        internal const int DetailCredentials = 3;
        internal const int DetailSparkplug = 4;

        private readonly CommissioningModule _m;

        private NetCommands(CommissioningModule m)
        {
            _m = m;
        }

        internal static void Register(CommissioningModule m)
        {
            NetCommands h = new NetCommands(m);
            CommandRegistry r = m.Core.Commands;
            AccessLevel tech = AccessLevel.Technician;
            AccessLevel eng = AccessLevel.Engineer;
            r.Register(CommandDef.Create("net show", "", "Network, broker and Sparkplug settings, with problems flagged", 0, 0, tech, false, h, Show));
            r.Register(CommandDef.Create("net ip dhcp", "", "Take the IP configuration from DHCP (after restart)", 0, 0, eng, false, h, IpDhcp));
            r.Register(CommandDef.Create("net ip static", "<address> <mask> <gateway> [dns]", "Static IPv4 configuration (after restart)", 3, 4, eng, false, h, IpStatic));
            r.Register(CommandDef.Create("net broker", "<host> <port> [tls|plain]", "MQTT broker (after restart)", 2, 3, eng, false, h, Broker));
            r.Register(CommandDef.Create("net credentials", "<user|-> [password]", "Broker user and password (asked without echo when not given); - for anonymous", 1, 2, eng, false, h, Credentials));
            r.Register(CommandDef.Create("net sparkplug", "<group> <node>", "Sparkplug group and edge node ids (no + / #)", 2, 2, eng, false, h, Sparkplug));
            r.Register(CommandDef.Create("net ca begin", "", "Paste the broker CA certificate (PEM) line by line, then net ca end", 0, 0, eng, false, h, CaBegin));
            r.Register(CommandDef.Create("net ca end", "", "Ends the PEM paste started by net ca begin", 0, 0, eng, false, h, CaEnd));
            r.Register(CommandDef.Create("net ca show", "", "The stored CA certificate as PEM", 0, 0, tech, false, h, CaShow));
            r.Register(CommandDef.Create("net ca clear", "", "Remove the stored CA certificate", 0, 0, eng, false, h, CaClear));
            r.Register(CommandDef.Create("net test", "", "Connect to the broker with these settings once; result code and time", 0, 0, tech, false, h, Test));
        }

        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case Show: return DoShow(ctx);
                case IpDhcp: return DoIpDhcp(ctx);
                case IpStatic: return DoIpStatic(ctx);
                case Broker: return DoBroker(ctx);
                case Credentials: return DoCredentials(ctx);
                case Sparkplug: return DoSparkplug(ctx);
                case CaBegin:
                    ctx.WriteLine("paste the certificate from " + NetworkSettings.PemBegin + " to " + NetworkSettings.PemEnd + ", then: net ca end (Ctrl-X cancels)");
                    ctx.BeginActivity(new PemPaste(_m));
                    return true;
                case CaEnd: return ctx.Fail(ErrorCode.BadState, "no certificate paste running (net ca begin)");
                case CaShow: return DoCaShow(ctx);
                case CaClear: return DoCaClear(ctx);
                case Test: return DoTest(ctx);
                default: return ctx.Fail(ErrorCode.InternalError, null);
            }
        }

        private bool DoShow(CommandContext ctx)
        {
            NetworkSettings n = _m.Network;
            SettingsRegistry s = ctx.Core.Settings;
            bool dhcp;
            string address, mask, gateway, dns, problem;
            bool ipOk = n.TryGetIpConfig(out dhcp, out address, out mask, out gateway, out dns, out problem);
            if (dhcp) ctx.WriteLine("ip: dhcp");
            else ctx.WriteLine("ip: static " + address + " mask " + mask + " gateway " + gateway + " dns " + (dns.Length > 0 ? dns : "-") + (ipOk ? "" : "  PROBLEM: " + problem));
            ctx.WriteLine("broker: " + s.GetText(n.Host) + ":" + s.GetInt(n.Port) + (s.GetBool(n.Tls) ? " tls" : " plain"));
            string user = s.GetText(n.User);
            ctx.WriteLine("user: " + (user.Length > 0 ? user : "(anonymous)") + " password: " + (s.GetText(n.Password).Length > 0 ? "****" : "(none)"));
            string ca = s.GetText(n.Ca);
            ctx.WriteLine("ca: " + (ca.Length > 0 ? ca.Length + " base64 characters" : "(none)"));
            ctx.WriteLine("sparkplug: group " + s.GetText(n.Group) + " node " + s.GetText(n.Node));
            MqttConnectOptions o;
            if (!n.TryBuildConnectOptions(null, out o, out problem)) ctx.WriteLine("PROBLEM: " + problem);
            if (s.RestartPending) ctx.WriteLine("changes take effect after settings save and a restart");
            return true;
        }

        private bool DoIpDhcp(CommandContext ctx)
        {
            ErrorCode error;
            if (!ctx.Core.Settings.TrySetNumber(_m.Network.Dhcp, 1, out error)) return ctx.Fail(error, null);
            return Changed(ctx, DetailIp);
        }

        private bool DoIpStatic(CommandContext ctx)
        {
            string address = ctx.Arg(0), mask = ctx.Arg(1), gateway = ctx.Arg(2);
            string dns = ctx.ArgCount > 3 ? ctx.Arg(3) : "";
            if (!NetworkSettings.IsValidIpv4(address)) return ctx.Fail(ErrorCode.BadArgument, "address is not an IPv4 address");
            if (!NetworkSettings.IsValidMask(mask)) return ctx.Fail(ErrorCode.BadArgument, "mask is not a contiguous IPv4 mask");
            if (!NetworkSettings.IsValidIpv4(gateway)) return ctx.Fail(ErrorCode.BadArgument, "gateway is not an IPv4 address");
            if (dns.Length > 0 && !NetworkSettings.IsValidIpv4(dns)) return ctx.Fail(ErrorCode.BadArgument, "dns is not an IPv4 address");
            uint a, mk, g;
            NetworkSettings.TryParseIpv4(address, out a);
            NetworkSettings.TryParseIpv4(mask, out mk);
            NetworkSettings.TryParseIpv4(gateway, out g);
            if ((a & mk) != (g & mk)) return ctx.Fail(ErrorCode.BadArgument, "gateway is not in the address's subnet");
            if ((a & ~mk) == 0 || (a & ~mk) == ~mk) return ctx.Fail(ErrorCode.BadArgument, "address is the subnet's network or broadcast address");
            SettingsRegistry s = ctx.Core.Settings;
            NetworkSettings n = _m.Network;
            ErrorCode error;
            // All values were checked above, so none of these can be refused part-way.
            if (!s.TrySetText(n.Address, address, out error) || !s.TrySetText(n.Mask, mask, out error)
                || !s.TrySetText(n.Gateway, gateway, out error) || !s.TrySetText(n.Dns, dns, out error)
                || !s.TrySetNumber(n.Dhcp, 0, out error))
                return ctx.Fail(error, null);
            return Changed(ctx, DetailIp);
        }

        private bool DoBroker(CommandContext ctx)
        {
            string host = ctx.Arg(0);
            if (!NetworkSettings.IsValidHost(host)) return ctx.Fail(ErrorCode.BadArgument, "host must be a host name or IPv4 address");
            int port;
            if (!NumberText.TryParseInt(ctx.Arg(1), out port)) return ctx.Fail(ErrorCode.BadArgument, "port must be a whole number");
            if (port < 1 || port > 65535) return ctx.Fail(ErrorCode.OutOfRange, "port must be 1..65535");
            SettingsRegistry s = ctx.Core.Settings;
            NetworkSettings n = _m.Network;
            bool tls = s.GetBool(n.Tls);
            if (ctx.ArgCount > 2)
            {
                string t = ctx.Arg(2);
                if (t == "tls") tls = true;
                else if (t == "plain") tls = false;
                else return ctx.Fail(ErrorCode.BadArgument, "tls or plain");
            }
            if (tls && s.GetText(n.Ca).Length == 0) ctx.WriteLine("note: TLS needs a CA certificate: net ca begin");
            ErrorCode error;
            if (!s.TrySetText(n.Host, host, out error) || !s.TrySetNumber(n.Port, port, out error) || !s.TrySetNumber(n.Tls, tls ? 1 : 0, out error))
                return ctx.Fail(error, null);
            return Changed(ctx, DetailBroker);
        }

        private bool DoCredentials(CommandContext ctx)
        {
            string user = ctx.Arg(0);
            if (user == "-")
            {
                if (ctx.ArgCount > 1) return ctx.Fail(ErrorCode.BadArgument, "anonymous (-) takes no password");
                return SetCredentials(ctx, _m, "", "");
            }
            if (user.Length > 64) return ctx.Fail(ErrorCode.OutOfRange, "at most 64 characters each");
            if (ctx.ArgCount > 1) return SetCredentials(ctx, _m, user, ctx.Arg(1));
            // Typed at a terminal: ask for the password without echo.
            ctx.WriteLine("broker password (empty for none):");
            ctx.BeginActivity(new PasswordEntry(_m, user));
            return true;
        }

        internal static bool SetCredentials(CommandContext ctx, CommissioningModule m, string user, string pw)
        {
            if (user.Length > 64 || pw.Length > 64) return ctx.Fail(ErrorCode.OutOfRange, "at most 64 characters each");
            SettingsRegistry s = ctx.Core.Settings;
            ErrorCode error;
            // Checked first so that neither value changes when the other would be refused.
            if (!SettingsRegistry.IsPrintable(user) || !SettingsRegistry.IsPrintable(pw)) return ctx.Fail(ErrorCode.BadArgument, null);
            if (!s.TrySetText(m.Network.User, user, out error) || !s.TrySetText(m.Network.Password, pw, out error))
                return ctx.Fail(error, null);
            return Changed(ctx, DetailCredentials);
        }

        private bool DoSparkplug(CommandContext ctx)
        {
            string group = ctx.Arg(0), node = ctx.Arg(1);
            if (!NetworkSettings.IsValidSparkplugId(group)) return ctx.Fail(ErrorCode.BadArgument, "group: 1-32 characters without + / # or spaces");
            if (!NetworkSettings.IsValidSparkplugId(node)) return ctx.Fail(ErrorCode.BadArgument, "node: 1-32 characters without + / # or spaces");
            SettingsRegistry s = ctx.Core.Settings;
            ErrorCode error;
            if (!s.TrySetText(_m.Network.Group, group, out error) || !s.TrySetText(_m.Network.Node, node, out error))
                return ctx.Fail(error, null);
            return Changed(ctx, DetailSparkplug);
        }

        private bool DoCaShow(CommandContext ctx)
        {
            string body = ctx.Core.Settings.GetText(_m.Network.Ca);
            if (body.Length == 0)
            {
                ctx.WriteLine("no CA certificate stored");
                return true;
            }
            ctx.WriteLine(NetworkSettings.PemBegin);
            int lines = NetworkSettings.CaPemLineCount(body);
            for (int i = 0; i < lines; i++) ctx.WriteLine(NetworkSettings.CaPemLine(body, i));
            ctx.WriteLine(NetworkSettings.PemEnd);
            return true;
        }

        private bool DoCaClear(CommandContext ctx)
        {
            ErrorCode error;
            if (!ctx.Core.Settings.TrySetText(_m.Network.Ca, "", out error)) return ctx.Fail(error, null);
            ctx.Core.Events.Add((int)EventCode.CaCertificateChanged, 0);
            ctx.WriteLine("CA certificate removed in RAM; settings save keeps it");
            return true;
        }

        private bool DoTest(CommandContext ctx)
        {
            IConnectionTester tester = _m.ConnectionTester;
            if (tester == null) return ctx.Fail(ErrorCode.NotSupported, "no connection tester on this board");
            MqttConnectOptions o;
            string problem;
            if (!_m.Network.TryBuildConnectOptions("-test", out o, out problem)) return ctx.Fail(ErrorCode.BadState, problem);
            ctx.WriteLine("connecting to " + o.Host + ":" + o.Port + (o.UseTls ? " tls" : " plain") + " as " + o.ClientId);
            long start = ctx.Core.Clock.NowMicros;
            string detail;
            int code;
            try { code = tester.TestConnection(o, out detail); }
            catch (System.Exception) { code = -1; detail = "tester failed"; }
            long ms = (ctx.Core.Clock.NowMicros - start) / 1000;
            ctx.Core.Events.Add((int)EventCode.ConnectionTested, code);
            ctx.WriteLine("result " + code + " " + (detail == null ? "" : detail) + " in " + ms + " ms");
            if (code != 0) return ctx.Fail(ErrorCode.BadState, "connection test failed with result " + code);
            return true;
        }

        private static bool Changed(CommandContext ctx, int detail)
        {
            ctx.Core.Events.Add((int)EventCode.NetworkConfigChanged, detail);
            ctx.WriteLine("set in RAM; takes effect after settings save and a restart");
            return true;
        }
    }

    /// <summary>The running part of <c>net credentials &lt;user&gt;</c>: one hidden line, the broker password.</summary>
    internal sealed class PasswordEntry : ISessionActivity
    {
        private readonly CommissioningModule _m;
        private readonly string _user;

        internal PasswordEntry(CommissioningModule m, string user)
        {
            _m = m;
            _user = user;
        }

        public bool HidesInput { get { return true; } }

        public bool OnLine(CommandContext ctx, string line, out bool ok)
        {
            if (line == null)
            {
                ok = false;
                ctx.Fail(ErrorCode.BadArgument, "password too long or not printable; nothing changed");
                return false;
            }
            ok = NetCommands.SetCredentials(ctx, _m, _user, line);
            return false;
        }

        public bool OnPoll(CommandContext ctx, long nowUs, out bool ok)
        {
            ok = false;
            return true;
        }

        public void Cancel()
        {
        }
    }

    /// <summary>The running part of <c>net ca begin</c>: collects PEM lines until <c>net ca end</c>.</summary>
    internal sealed class PemPaste : ISessionActivity
    {
        public bool HidesInput { get { return false; } }

        private readonly CommissioningModule _m;
        private string _body = "";
        private int _lines;
        private bool _begun;
        private bool _ended;

        internal PemPaste(CommissioningModule m)
        {
            _m = m;
        }

        public bool OnLine(CommandContext ctx, string line, out bool ok)
        {
            ok = false;
            if (line == null)
            {
                ctx.Fail(ErrorCode.BadArgument, "line too long or not printable; nothing stored");
                return false;
            }
            string t = line.Trim();
            if (t == "net ca end") return Finish(ctx, out ok);
            if (t.Length == 0) return true;
            if (++_lines > NetCommands.MaxPemLines)
            {
                ctx.Fail(ErrorCode.BadArgument, "more than " + NetCommands.MaxPemLines + " lines; nothing stored");
                return false;
            }
            if (_ended)
            {
                ctx.Fail(ErrorCode.BadArgument, "text after " + NetworkSettings.PemEnd + " (one certificate only); nothing stored");
                return false;
            }
            if (!_begun)
            {
                if (t != NetworkSettings.PemBegin)
                {
                    ctx.Fail(ErrorCode.BadArgument, "expected " + NetworkSettings.PemBegin + "; nothing stored");
                    return false;
                }
                _begun = true;
                return true;
            }
            if (t == NetworkSettings.PemEnd)
            {
                _ended = true;
                return true;
            }
            if (_body.Length + t.Length > NetworkSettings.MaxCaChars)
            {
                ctx.Fail(ErrorCode.OutOfRange, "certificate longer than " + NetworkSettings.MaxCaChars + " base64 characters; nothing stored");
                return false;
            }
            _body += t;
            return true;
        }

        private bool Finish(CommandContext ctx, out bool ok)
        {
            ok = false;
            if (!_begun || !_ended)
            {
                ctx.Fail(ErrorCode.BadArgument, "incomplete PEM block (needs " + NetworkSettings.PemBegin + " ... " + NetworkSettings.PemEnd + "); nothing stored");
                return false;
            }
            string problem;
            if (!NetworkSettings.IsValidCertificateBody(_body, out problem))
            {
                ctx.Fail(ErrorCode.BadArgument, problem + "; nothing stored");
                return false;
            }
            ErrorCode error;
            if (!ctx.Core.Settings.TrySetText(_m.Network.Ca, _body, out error))
            {
                ctx.Fail(error, null);
                return false;
            }
            ctx.Core.Events.Add((int)EventCode.CaCertificateChanged, _body.Length);
            ctx.WriteLine("CA certificate stored in RAM (" + _body.Length + " base64 characters); settings save keeps it");
            ok = true;
            return false;
        }

        public bool OnPoll(CommandContext ctx, long nowUs, out bool ok)
        {
            // No timeout of its own: the session's idle logout (console.idleTimeoutS) cancels a forgotten paste.
            ok = false;
            return true;
        }

        public void Cancel()
        {
            _body = "";
        }
    }
}
