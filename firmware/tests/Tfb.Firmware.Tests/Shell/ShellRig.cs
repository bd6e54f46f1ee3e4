using System.Text;
using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Firmware.Tests.Settings;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

/// <summary>Captures what a session writes; optionally serves queued input to Run().</summary>
internal sealed class FakeLink : ISerialLink
{
    private readonly object _sync = new();
    private readonly StringBuilder _out = new();
    private readonly Queue<byte[]> _input = new();
    private bool _closeWhenEmpty;

    public string Output { get { lock (_sync) return _out.ToString(); } }

    public string Take()
    {
        lock (_sync)
        {
            string s = _out.ToString();
            _out.Clear();
            return s;
        }
    }

    public void Enqueue(string text, bool closeAfter)
    {
        lock (_sync)
        {
            _input.Enqueue(Encoding.Latin1.GetBytes(text));
            _closeWhenEmpty = closeAfter;
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        lock (_sync)
        {
            if (_input.Count == 0) return _closeWhenEmpty ? -1 : 0;
            byte[] next = _input.Dequeue();
            int n = Math.Min(count, next.Length);
            Array.Copy(next, 0, buffer, offset, n);
            if (n < next.Length)
            {
                // Put the rest back in front.
                var rest = next.AsSpan(n).ToArray();
                var all = new Queue<byte[]>();
                all.Enqueue(rest);
                while (_input.Count > 0) all.Enqueue(_input.Dequeue());
                while (all.Count > 0) _input.Enqueue(all.Dequeue());
            }
            return n;
        }
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_sync) _out.Append(Encoding.Latin1.GetString(buffer, offset, count));
    }
}

internal sealed class FakeLine : ILineControl
{
    public bool Idle = true;
    public ErrorCode StopError = ErrorCode.Busy;
    public bool StopAccepts = true;
    public bool ResumeAccepts = true;
    public ErrorCode ResumeError = ErrorCode.InterlockActive;
    public int Stops, Resumes, Resets;

    public bool IsIdle => Idle;

    public bool RequestStop(out ErrorCode error)
    {
        error = StopError;
        if (!StopAccepts) return false;
        Interlocked.Increment(ref Stops);
        return true;
    }

    public bool RequestResume(out ErrorCode error)
    {
        error = ResumeError;
        if (!ResumeAccepts) return false;
        Interlocked.Increment(ref Resumes);
        return true;
    }

    public bool RequestReset(out ErrorCode error)
    {
        error = ErrorCode.Busy;
        Interlocked.Increment(ref Resets);
        return true;
    }
}

/// <summary>Plays the owner of every alarm: resets unless the condition is marked present.</summary>
internal sealed class FakeResetter(AlarmLog alarms) : IAlarmResetter
{
    public readonly HashSet<int> ConditionPresent = new();

    public bool TryReset(int code, out ErrorCode error)
    {
        lock (ConditionPresent)
        {
            if (ConditionPresent.Contains(code))
            {
                error = ErrorCode.ConditionPresent;
                return false;
            }
        }
        error = ErrorCode.BadState;
        return alarms.Reset(code);
    }
}

internal sealed class FakeStatus(string name, string text) : IStatusProvider
{
    public string Text = text;
    public string Name { get; } = name;
    public string GetStatus() => Text;
}

/// <summary>A board's console: fixture settings, logs, hooks, one shell, sessions on fake links.</summary>
internal sealed class ShellRig
{
    public readonly SimulatedClock Clock = new();
    public readonly SettingsRegistry Settings = SettingsFixture.NewRegistry();
    public readonly MemoryNvStore Nv = new(8192);
    public readonly AlarmLog Alarms;
    public readonly LogRing Events;
    public readonly SettingsStore Store;
    public readonly FakeLine Line = new();
    public readonly FakeResetter Resetter;
    public readonly ShellCore Core;
    public readonly BoardIdentity Identity = new("0.1.0", "abc1234 2026-11-27", "virtual", "web tension", "R2R-01-WEB");

    public ShellRig(bool withHooks = true)
    {
        Alarms = new AlarmLog(32, 16, Clock);
        Events = new LogRing(64, Clock);
        Store = new SettingsStore(Nv, Settings, Alarms, Events);
        Resetter = new FakeResetter(Alarms);
        Core = new ShellCore(Settings, Store, Alarms, Events, Clock, Identity, withHooks ? Line : null, withHooks ? Resetter : null);
        Core.AddStatusProvider(new FakeStatus("line", "state=Idle"));
        Core.AddStatusProvider(new FakeStatus("web", "speedMpm=0 tensionN=0"));
    }

    public (ShellSession Session, FakeLink Link) NewSession(bool echo = false, int maxLine = ShellSession.DefaultMaxLineLength)
    {
        var link = new FakeLink();
        return (new ShellSession(Core, link, echo, maxLine), link);
    }

    public int[] EventCodes() => Enumerable.Range(Events.OldestSeq, Events.NextSeq - Events.OldestSeq)
        .Select(s => { Events.TryGet(s, out var e); return e.Code; }).ToArray();

    public LogEntry LastEvent()
    {
        Assert.True(Events.TryGet(Events.NextSeq - 1, out var e));
        return e;
    }
}

/// <summary>A session plus its link, with helpers that send text and split the answer into lines.</summary>
internal sealed class Term
{
    public readonly ShellRig Rig;
    public readonly ShellSession Session;
    public readonly FakeLink Link;

    public Term(ShellRig rig, bool echo = false, int maxLine = ShellSession.DefaultMaxLineLength)
    {
        Rig = rig;
        (Session, Link) = rig.NewSession(echo, maxLine);
    }

    public string Raw(string bytes)
    {
        byte[] b = Encoding.Latin1.GetBytes(bytes);
        Session.Feed(b, 0, b.Length);
        return Link.Take();
    }

    /// <summary>Sends one line and returns the output lines (CRLF split, empty tail removed).</summary>
    public string[] Cmd(string line) => Lines(Raw(line + "\r\n"));

    public static string[] Lines(string output)
    {
        var l = output.Split("\r\n").ToList();
        if (l.Count > 0 && l[^1] == "") l.RemoveAt(l.Count - 1);
        return l.ToArray();
    }

    public string Last(string line) => Cmd(line)[^1];

    public void Login(AccessLevel level)
    {
        string name = level == AccessLevel.Engineer ? "engineer" : "technician";
        string pw = level == AccessLevel.Engineer ? ShellCore.DefaultEngineerPassword : ShellCore.DefaultTechnicianPassword;
        Assert.Equal(["password:"], Cmd("login " + name));
        Assert.Equal("ok", Cmd(pw)[^1]);
        Assert.Equal(level, Session.Level);
    }
}
