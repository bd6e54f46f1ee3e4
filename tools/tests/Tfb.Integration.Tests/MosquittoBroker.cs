using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tfb.Integration.Tests;

/// <summary>
/// A private mosquitto on loopback for one test class: a password file, an ACL that ties each Sparkplug edge
/// node (user name = edge node id) to its own topics, and optionally TLS with a CA made for the run.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    /// <summary>The SCADA host's user: reads everything, writes only commands and its STATE topic.</summary>
    public const string ScadaUser = "scada";

    public int Port { get; }
    public bool Tls { get; }
    /// <summary>PEM of the CA that signed the broker certificate (pin this in clients).</summary>
    public string? CaPem { get; }
    public X509Certificate2? CaCertificate { get; }

    private MosquittoBroker(Process process, string dir, int port, bool tls, string? caPem, X509Certificate2? ca)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Tls = tls;
        CaPem = caPem;
        CaCertificate = ca;
    }

    public static string? FindExecutable()
    {
        foreach (var p in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto" })
            if (File.Exists(p)) return p;
        return null;
    }

    /// <summary>Starts a broker with the given users (name -> password).</summary>
    public static MosquittoBroker Start(IReadOnlyDictionary<string, string> users, bool tls)
    {
        var exe = FindExecutable() ?? throw new InvalidOperationException(
            "mosquitto is not installed: `apt-get install -y mosquitto mosquitto-clients` (.ci/run does this in CI)");
        var dir = Directory.CreateTempSubdirectory("tfb-mosquitto-").FullName;
        int port = FreePort();

        var passwd = Path.Combine(dir, "passwd");
        File.WriteAllText(passwd, "");
        foreach (var (user, password) in users)
            Run("mosquitto_passwd", "-b", passwd, user, password);

        var acl = Path.Combine(dir, "acl");
        File.WriteAllText(acl, string.Join('\n',
            // Every edge node: its own NBIRTH/NDEATH/NDATA and device messages; its own NCMD/DCMD to read; STATE to read.
            "pattern write spBv1.0/+/+/%u",
            "pattern write spBv1.0/+/+/%u/+",
            "pattern read spBv1.0/+/NCMD/%u",
            "pattern read spBv1.0/+/DCMD/%u/+",
            "topic read spBv1.0/STATE/+",
            $"user {ScadaUser}",
            "topic read spBv1.0/#",
            "topic write spBv1.0/+/NCMD/+",
            "topic write spBv1.0/+/DCMD/+/+",
            $"topic readwrite spBv1.0/STATE/{ScadaUser}",
            ""));

        string? caPem = null;
        X509Certificate2? ca = null;
        var conf = new List<string>
        {
            // As root, mosquitto drops to the "mosquitto" user, which cannot read this private temp folder.
            "user root",
            "per_listener_settings false",
            "allow_anonymous false",
            $"password_file {passwd}",
            $"acl_file {acl}",
            "persistence false",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            $"listener {port} 127.0.0.1",
        };
        if (tls)
        {
            (caPem, ca) = MakeCertificates(dir);
            conf.Add($"cafile {Path.Combine(dir, "ca.pem")}");
            conf.Add($"certfile {Path.Combine(dir, "server.pem")}");
            conf.Add($"keyfile {Path.Combine(dir, "server.key")}");
            conf.Add("tls_version tlsv1.2");
        }
        var confPath = Path.Combine(dir, "mosquitto.conf");
        File.WriteAllLines(confPath, conf);

        var psi = new ProcessStartInfo(exe, ["-c", confPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var broker = new MosquittoBroker(process, dir, port, tls, caPem, ca);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}; config in {dir}");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static (string CaPem, X509Certificate2 Ca) MakeCertificates(string dir)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=TfbFirmware test CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var caCert = caReq.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = req.Create(caCert, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4, 5, 6, 7, 8]);

        var caPem = caCert.ExportCertificatePem();
        File.WriteAllText(Path.Combine(dir, "ca.pem"), caPem);
        File.WriteAllText(Path.Combine(dir, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        return (caPem, X509CertificateLoader.LoadCertificate(caCert.RawData));
    }

    private static void Run(string exe, params string[] args)
    {
        var p = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit(10_000);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {p.StandardError.ReadToEnd()}");
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
