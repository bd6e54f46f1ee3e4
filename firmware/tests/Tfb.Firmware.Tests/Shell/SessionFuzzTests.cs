using System.Text;
using Tfb.Codes;
using Tfb.Firmware.Tests.Settings;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

/// <summary>
/// Random and mutated input at operator level: nothing escapes, nothing changes, and every complete line gets
/// exactly one final answer. Seeded, so a failure reproduces.
/// </summary>
public class SessionFuzzTests
{
    private sealed record Snapshot(string Settings, int Version, bool Dirty, bool RestartPending, int ActiveAlarms, int AlarmHistory);

    private static Snapshot Take(ShellRig rig) => new(string.Join("\n", SettingsFixture.Values(rig.Settings)), rig.Settings.Version, rig.Settings.Dirty,
        rig.Settings.RestartPending, rig.Alarms.ActiveCount, rig.Alarms.History.NextSeq);

    /// <summary>Line ends as the protocol defines them: CR, LF, CRLF once; real-time bytes are invisible except Ctrl-X, which forgets a pending CR.</summary>
    private static int CountLineEnds(byte[] input)
    {
        int ends = 0;
        bool lastCr = false;
        foreach (byte b in input)
        {
            if (b is (byte)'?' or (byte)'!' or (byte)'~') continue;
            if (b == 0x18) { lastCr = false; continue; }
            if (b == 10 && lastCr) { lastCr = false; continue; }
            lastCr = b == 13;
            if (b is 13 or 10) ends++;
        }
        return ends;
    }

    private static int CountFinalAnswers(string output) =>
        Term.Lines(output).Count(l => l == "ok" || l.StartsWith("error:"));

    private static byte[] RandomStream(Random rng)
    {
        int len = rng.Next(0, 400);
        var b = new byte[len];
        for (int i = 0; i < len; i++)
        {
            int k = rng.Next(100);
            b[i] = k switch
            {
                < 60 => (byte)rng.Next(32, 127),
                < 70 => (byte)"\r\n"[rng.Next(2)],
                < 75 => (byte)"?!~\u0018"[rng.Next(4)],
                < 80 => (byte)"\b\u007f\""[rng.Next(3)],
                < 90 => (byte)rng.Next(0, 32),
                _ => (byte)rng.Next(128, 256),
            };
        }
        if (rng.Next(10) == 0)
        {
            // An overlong line, sometimes with real-time bytes inside it.
            var longLine = Enumerable.Range(0, rng.Next(121, 600)).Select(_ => (byte)rng.Next(32, 127)).Append((byte)'\r').ToArray();
            b = b.Concat(longLine).ToArray();
        }
        return b;
    }

    private static readonly string[] s_vocabulary =
    [
        "settings set web.tension.setpointN 5", "settings set web.break.detect false", "settings set mqtt.host \"a b\"",
        "settings set console.auth.technician 0011223344556677:0000000000000000000000000000000000000000000000000000000000000000",
        "settings set console.idleTimeoutS 40", "settings defaults", "settings defaults web.", "settings save",
        "settings dump", "settings list", "settings get mqtt.password", "alarms reset all", "alarms reset 1001",
        "alarms history 3", "alarms", "events 2", "passwd technician", "passwd engineer", "help", "help settings",
        "info", "status", "whoami", "logout", "login root", "login operator", "# comment", "",
    ];

    private const string Inserts = "\" \\?!~\b\u0018x1-";

    private static byte[] MutatedCommand(Random rng)
    {
        var chars = new List<char>(s_vocabulary[rng.Next(s_vocabulary.Length)]);
        int mutations = rng.Next(0, 4);
        for (int m = 0; m < mutations && chars.Count > 0; m++)
        {
            int at = rng.Next(chars.Count);
            switch (rng.Next(5))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Inserts[rng.Next(Inserts.Length)]); break;
                case 2: chars[at] = (char)rng.Next(32, 127); break;
                case 3: chars.RemoveRange(at, chars.Count - at); break;
                default: chars.Insert(at, ' '); break;
            }
        }
        string end = rng.Next(3) switch { 0 => "\r", 1 => "\n", _ => "\r\n" };
        return Encoding.Latin1.GetBytes(new string(chars.ToArray()) + end);
    }

    private static void FeedInChunks(ShellSession s, byte[] input, Random rng)
    {
        int p = 0;
        while (p < input.Length)
        {
            int n = Math.Min(input.Length - p, rng.Next(1, 64));
            s.Feed(input, p, n);
            p += n;
        }
    }

    private static void CheckOperatorStreams(int seed, int streams, Func<Random, byte[]> generate)
    {
        var rig = new ShellRig();
        rig.Alarms.Raise(1001, 0);
        var before = Take(rig);
        var rng = new Random(seed);
        int events0 = rig.Events.NextSeq;
        int stopBytes = 0;
        for (int i = 0; i < streams; i++)
        {
            var (session, link) = rig.NewSession(echo: rng.Next(4) == 0);
            byte[] input = generate(rng);
            FeedInChunks(session, input, rng);
            string output = link.Take();

            Assert.Equal(AccessLevel.Operator, session.Level);
            Assert.False(session.PromptPending);
            int ends = CountLineEnds(input);
            Assert.Equal(ends, session.LinesReceived);
            Assert.Equal(ends, session.FinalAnswers);
            if (!session.Echo) Assert.Equal(ends, CountFinalAnswers(output));
            stopBytes += input.Count(b => b is (byte)'!' or 0x18);
        }
        Assert.Equal(before, Take(rig));
        // The only events operator input may cause are stop requests (safety first), one per '!' or Ctrl-X.
        var added = Enumerable.Range(events0, rig.Events.NextSeq - events0).ToArray();
        Assert.Equal(stopBytes, added.Length);
        Assert.Equal(stopBytes, rig.Line.Stops);
        Assert.Equal(0, rig.Line.Resumes + rig.Line.Resets);
    }

    [Fact]
    public void RandomByteStreams_AtOperatorLevel_ChangeNothing_AndAnswerEveryLineOnce()
    {
        CheckOperatorStreams(seed: 4242, streams: 3000, RandomStream);
    }

    [Fact]
    public void MutatedCommands_AtOperatorLevel_ChangeNothing_AndAnswerEveryLineOnce()
    {
        CheckOperatorStreams(seed: 777, streams: 4000, rng =>
            Enumerable.Range(0, rng.Next(1, 6)).SelectMany(_ => MutatedCommand(rng)).ToArray());
    }

    [Fact]
    public void OneLongSession_SurvivesAllTheNoise_AndStillAnswersCorrectly()
    {
        var rig = new ShellRig();
        var t = new Term(rig);
        var rng = new Random(99);
        var all = new List<byte>();
        for (int i = 0; i < 2000; i++)
        {
            byte[] input = RandomStream(rng);
            t.Session.Feed(input, 0, input.Length);
            all.AddRange(input);
        }
        t.Link.Take();
        // Counted over the whole stream: a CR at the end of one feed and an LF at the start of the next are one end.
        Assert.Equal(CountLineEnds(all.ToArray()), t.Session.FinalAnswers);
        // Whatever state the editor was left in, Ctrl-X and a fresh line bring it back.
        t.Raw("\u0018");
        Assert.Equal(["session 1 operator", "ok"], t.Cmd("whoami"));
    }
}
