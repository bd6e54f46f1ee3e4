using System.Text;
using Tfb.Hal;

namespace Tfb.VirtualLine;

/// <summary>
/// A console link with no terminal behind it: what the board writes is kept (for scenario expectations and
/// tests), nothing is ever read. Scenario lines are fed straight into the session on the runner thread, so a
/// scenario run stays deterministic.
/// </summary>
public sealed class CaptureLink : ISerialLink
{
    private readonly StringBuilder _out = new();

    /// <summary>Everything the board wrote so far.</summary>
    public string Output
    {
        get { lock (_out) return _out.ToString(); }
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs) => 0;

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_out) _out.Append(Encoding.ASCII.GetString(buffer, offset, count));
    }
}
