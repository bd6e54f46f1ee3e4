using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Tfb.Plant.Scenarios;

/// <summary>One problem in a scenario file.</summary>
/// <param name="File">Source name.</param>
/// <param name="Line">1-based line number (0 for whole-file problems).</param>
/// <param name="Message">What is wrong.</param>
public sealed record ScenarioError(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>A scenario file was refused; <see cref="Errors"/> lists every problem found. Nothing runs.</summary>
public sealed class ScenarioParseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScenarioParseException(IReadOnlyList<ScenarioError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    /// <summary>The problems, in line order.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }
}

/// <summary>
/// Parses the line-based scenario format (reference in docs/virtual-line.md). Every line is checked;
/// all problems are reported together with file and line; any problem means no scenario.
/// </summary>
public static class ScenarioParser
{
    private const double TimeSlackS = 1e-9;

    /// <summary>Parses a file.</summary>
    /// <exception cref="ScenarioParseException">The file has errors.</exception>
    public static Scenario ParseFile(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses scenario text.</summary>
    /// <param name="text">File contents.</param>
    /// <param name="sourceName">Name used in messages.</param>
    /// <exception cref="ScenarioParseException">The text has errors.</exception>
    public static Scenario Parse(string text, string sourceName)
    {
        if (TryParse(text, sourceName, out Scenario? scenario, out IReadOnlyList<ScenarioError> errors))
        {
            return scenario!;
        }

        throw new ScenarioParseException(errors);
    }

    /// <summary>Parses scenario text without throwing.</summary>
    /// <returns>True with a scenario, or false with every error (and no scenario).</returns>
    public static bool TryParse(string text, string sourceName, out Scenario? scenario, out IReadOnlyList<ScenarioError> errors)
    {
        var state = new ParseState(sourceName);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            state.LineNumber = i + 1;
            state.LineText = lines[i].Trim();
            try
            {
                List<Token> tokens = Tokenize(lines[i], out int commentAt);
                state.LineText = lines[i].Substring(0, commentAt).Trim();
                if (tokens.Count > 0)
                {
                    state.ParseLine(tokens);
                }
            }
            catch (LineError e)
            {
                state.Errors.Add(new ScenarioError(sourceName, i + 1, e.Message));
            }
        }

        state.Finish();
        errors = state.Errors;
        scenario = state.Errors.Count == 0 ? state.Build() : null;
        return scenario is not null;
    }

    /// <summary>
    /// Splits a line into tokens: white space separates; <c>"..."</c> is one token with <c>\"</c> and
    /// <c>\\</c> escapes; <c>#</c> outside quotes starts a comment.
    /// </summary>
    internal static List<Token> Tokenize(string line, out int commentAt)
    {
        var tokens = new List<Token>();
        commentAt = line.Length;
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                commentAt = i;
                break;
            }

            int start = i;
            if (c == '"')
            {
                var sb = new StringBuilder();
                i++;
                bool closed = false;
                while (i < line.Length)
                {
                    char d = line[i];
                    if (d == '\\')
                    {
                        if (i + 1 >= line.Length || (line[i + 1] != '"' && line[i + 1] != '\\'))
                        {
                            throw new LineError($"column {i + 1}: only \\\" and \\\\ are escapes inside quotes");
                        }

                        sb.Append(line[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (d == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    sb.Append(d);
                    i++;
                }

                if (!closed)
                {
                    throw new LineError($"column {start + 1}: quote is not closed");
                }

                if (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#')
                {
                    throw new LineError($"column {i + 1}: put a space after a closing quote");
                }

                tokens.Add(new Token(sb.ToString(), true, start + 1));
                continue;
            }

            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#')
            {
                if (line[i] == '"')
                {
                    throw new LineError($"column {i + 1}: a quote inside a word; quote the whole word");
                }

                i++;
            }

            tokens.Add(new Token(line.Substring(start, i - start), false, start + 1));
        }

        return tokens;
    }

    internal readonly record struct Token(string Text, bool Quoted, int Column);

    private sealed class LineError : Exception
    {
        public LineError(string message)
            : base(message)
        {
        }
    }

    private sealed class ParseState
    {
        private readonly string _source;
        private readonly List<string> _boards = new();
        private readonly List<string> _trace = new();
        private readonly List<ScenarioStep> _steps = new();
        private readonly List<(int Line, string Board)> _boardUses = new();
        private string _title = string.Empty;
        private ulong? _seed;
        private double? _durationS;
        private int _durationLine;
        private double _lastStepS;
        private int _titleLine;

        public ParseState(string source) => _source = source;

        public List<ScenarioError> Errors { get; } = new();

        public int LineNumber { get; set; }

        public string LineText { get; set; } = string.Empty;

        public void ParseLine(List<Token> t)
        {
            var c = new Cursor(t);
            Token first = c.Next("a keyword");
            if (first.Quoted)
            {
                throw new LineError("a line starts with a keyword, not a quoted string");
            }

            switch (first.Text)
            {
                case "scenario":
                    if (_titleLine != 0)
                    {
                        throw new LineError($"scenario title given twice (first on line {_titleLine})");
                    }

                    _title = c.Next("a title").Text;
                    c.End();
                    _titleLine = LineNumber;
                    break;
                case "seed":
                    if (_seed is not null)
                    {
                        throw new LineError("seed given twice");
                    }

                    Token s = c.Next("a seed (0 to 18446744073709551615)");
                    if (s.Quoted || !ulong.TryParse(s.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
                    {
                        throw new LineError($"seed '{s.Text}' is not a whole number from 0 to 18446744073709551615");
                    }

                    c.End();
                    _seed = seed;
                    break;
                case "duration":
                    if (_durationS is not null)
                    {
                        throw new LineError($"duration given twice (first on line {_durationLine})");
                    }

                    double d = Time(c.Next("a duration, e.g. 60s"));
                    if (d <= 0)
                    {
                        throw new LineError("duration must be longer than zero");
                    }

                    c.End();
                    _durationS = d;
                    _durationLine = LineNumber;
                    break;
                case "board":
                    string board = BoardName(c.Next("a board name"));
                    c.End();
                    if (_boards.Contains(board))
                    {
                        throw new LineError($"board '{board}' declared twice");
                    }

                    _boards.Add(board);
                    break;
                case "trace":
                    if (!c.More)
                    {
                        throw new LineError("trace needs at least one signal name");
                    }

                    while (c.More)
                    {
                        string sig = Name(c.Next("a signal"), "signal");
                        if (_trace.Contains(sig))
                        {
                            throw new LineError($"signal '{sig}' is traced twice");
                        }

                        _trace.Add(sig);
                    }

                    break;
                case "at":
                case "after":
                case "within":
                    ParseStep(first.Text, c);
                    break;
                default:
                    throw new LineError($"unknown keyword '{first.Text}' (expected scenario, seed, duration, board, trace, at, after or within)");
            }
        }

        public void Finish()
        {
            if (_durationS is null)
            {
                Errors.Add(new ScenarioError(_source, 0, "no 'duration' line (e.g. 'duration 60s')"));
            }
            else
            {
                foreach (ScenarioStep s in _steps)
                {
                    double end = s is ExpectStep e ? e.EndS : s.AtS;
                    if (end > _durationS.Value + TimeSlackS)
                    {
                        Errors.Add(new ScenarioError(_source, s.Source.Line,
                            $"step ends at {ScenarioTime.Format(end)}, after the duration {ScenarioTime.Format(_durationS.Value)}"));
                    }
                }
            }

            foreach ((int line, string board) in _boardUses)
            {
                if (!_boards.Contains(board))
                {
                    Errors.Add(new ScenarioError(_source, line, $"board '{board}' is not declared (add 'board {board}')"));
                }
            }

            Errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        }

        public Scenario Build() => new(
            _source,
            _title,
            _seed ?? 1UL,
            _durationS!.Value,
            _boards.ToImmutableArray(),
            _trace.ToImmutableArray(),
            _steps.ToImmutableArray());

        private void ParseStep(string when, Cursor c)
        {
            double amount = Time(c.Next("a time, e.g. 2.5s"));
            double atS;
            double windowEndS = double.NaN;
            if (when == "at")
            {
                atS = amount;
                if (atS < _lastStepS - TimeSlackS)
                {
                    throw new LineError($"step at {ScenarioTime.Format(atS)} comes before the previous step ({ScenarioTime.Format(_lastStepS)}): keep steps in time order");
                }
            }
            else if (when == "after")
            {
                atS = _lastStepS + amount;
            }
            else
            {
                atS = _lastStepS;
                windowEndS = _lastStepS + amount;
                if (amount <= 0)
                {
                    throw new LineError("a 'within' window must be longer than zero");
                }
            }

            var src = new SourceLine(_source, LineNumber, LineText);
            Token verb = c.Next("an action (console, mqtt, broker, fault, clear, set, expect)");
            if (when == "within" && verb.Text != "expect")
            {
                throw new LineError("'within' introduces an expectation: write 'within <time> expect ...'");
            }

            ScenarioStep step;
            switch (verb.Quoted ? string.Empty : verb.Text)
            {
                case "console":
                {
                    string board = UseBoard(c.Next("a board name"));
                    if (!c.More)
                    {
                        throw new LineError("console needs the text to type");
                    }

                    var words = new List<string>();
                    while (c.More)
                    {
                        words.Add(c.Next("text").Text);
                    }

                    step = new ConsoleStep(src, atS, board, string.Join(' ', words));
                    break;
                }

                case "mqtt":
                {
                    Token kind = c.Next("ncmd or dcmd");
                    if (kind.Text != "ncmd" && kind.Text != "dcmd")
                    {
                        throw new LineError($"mqtt '{kind.Text}': expected ncmd or dcmd");
                    }

                    string board = UseBoard(c.Next("a board name"));
                    string? device = kind.Text == "dcmd" ? Name(c.Next("a device name"), "device") : null;
                    string metric = c.Next("a metric name").Text;
                    if (metric.Length == 0)
                    {
                        throw new LineError("metric name is empty");
                    }

                    ScenarioValue value = Value(c.Next("a value (true, false, a number or a quoted string)"));
                    c.End();
                    step = new MqttCommandStep(src, atS, board, device, metric, value);
                    break;
                }

                case "broker":
                {
                    Token state = c.Next("up or down");
                    if (state.Text != "up" && state.Text != "down")
                    {
                        throw new LineError($"broker '{state.Text}': expected up or down");
                    }

                    c.End();
                    step = new BrokerStep(src, atS, state.Text == "up");
                    break;
                }

                case "fault":
                {
                    string target = Name(c.Next("a fault target"), "fault target");
                    string fault = Name(c.Next("a fault name"), "fault");
                    var p = new List<double>();
                    while (c.More)
                    {
                        p.Add(Number(c.Next("a number")));
                    }

                    step = new FaultStep(src, atS, target, fault, p.ToImmutableArray());
                    break;
                }

                case "set":
                {
                    string sig = Name(c.Next("a signal name"), "signal");
                    double value = Number(c.Next("a number"));
                    c.End();
                    step = new SetSignalStep(src, atS, sig, value);
                    break;
                }

                case "clear":
                {
                    string target = Name(c.Next("a fault target or 'all'"), "fault target");
                    c.End();
                    step = new ClearFaultStep(src, atS, target);
                    break;
                }

                case "expect":
                {
                    ExpectCondition cond = Condition(c);
                    ExpectWindow window = ExpectWindow.At;
                    double endS = atS;
                    if (when == "within")
                    {
                        window = ExpectWindow.Within;
                        endS = windowEndS;
                    }

                    if (c.More)
                    {
                        Token f = c.Next("for");
                        if (f.Text != "for")
                        {
                            throw new LineError($"unexpected '{f.Text}' after the condition (only 'for <time>' may follow)");
                        }

                        if (when == "within")
                        {
                            throw new LineError("'for' cannot be combined with 'within'");
                        }

                        double hold = Time(c.Next("a hold time"));
                        if (hold <= 0)
                        {
                            throw new LineError("a 'for' hold time must be longer than zero");
                        }

                        window = ExpectWindow.For;
                        endS = atS + hold;
                    }

                    c.End();
                    step = new ExpectStep(src, atS, cond, window, endS);
                    break;
                }

                default:
                    throw new LineError($"unknown action '{verb.Text}' (expected console, mqtt, broker, fault, clear, set or expect)");
            }

            _steps.Add(step);
            _lastStepS = atS;
        }

        private ExpectCondition Condition(Cursor c)
        {
            Token what = c.Next("signal, alarm, noalarm, metric or console");
            switch (what.Quoted ? string.Empty : what.Text)
            {
                case "signal":
                {
                    string sig = Name(c.Next("a signal name"), "signal");
                    Token peek = c.Peek("a comparison (between, above, below) or valid/invalid");
                    if (peek.Text == "valid" || peek.Text == "invalid")
                    {
                        c.Next(string.Empty);
                        return new SignalValidityCondition(sig, peek.Text == "valid");
                    }

                    Comparison cmp = ParseComparison(c, allowEquals: false);
                    return new SignalCondition(sig, cmp);
                }

                case "alarm":
                case "noalarm":
                {
                    string board = UseBoard(c.Next("a board name"));
                    Token code = c.Next("an alarm code");
                    if (code.Quoted || !int.TryParse(code.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                    {
                        throw new LineError($"alarm code '{code.Text}' is not a whole number");
                    }

                    return new AlarmCondition(board, n, what.Text == "alarm");
                }

                case "metric":
                {
                    string board = UseBoard(c.Next("a board name"));
                    string metric = c.Next("a metric name").Text;
                    if (metric.Length == 0)
                    {
                        throw new LineError("metric name is empty");
                    }

                    return new MetricCondition(board, metric, ParseComparison(c, allowEquals: true));
                }

                case "console":
                {
                    string board = UseBoard(c.Next("a board name"));
                    Token contains = c.Next("contains");
                    if (contains.Text != "contains" || contains.Quoted)
                    {
                        throw new LineError($"expected 'contains' after the board, found '{contains.Text}'");
                    }

                    string text = c.Next("the text to find").Text;
                    if (text.Length == 0)
                    {
                        throw new LineError("the text to find is empty");
                    }

                    return new ConsoleOutputCondition(board, text);
                }

                default:
                    throw new LineError($"unknown expectation '{what.Text}' (expected signal, alarm, noalarm, metric or console)");
            }
        }

        private Comparison ParseComparison(Cursor c, bool allowEquals)
        {
            Token op = c.Next(allowEquals ? "between, above, below or equals" : "between, above or below");
            switch (op.Quoted ? string.Empty : op.Text)
            {
                case "between":
                    double lo = Number(c.Next("a lower bound"));
                    double hi = Number(c.Next("an upper bound"));
                    if (lo > hi)
                    {
                        throw new LineError($"between {lo.ToString(CultureInfo.InvariantCulture)} {hi.ToString(CultureInfo.InvariantCulture)}: the lower bound is above the upper");
                    }

                    return new Comparison(ComparisonKind.Between, lo, hi, null);
                case "above":
                    return new Comparison(ComparisonKind.Above, Number(c.Next("a number")), double.NaN, null);
                case "below":
                    return new Comparison(ComparisonKind.Below, double.NaN, Number(c.Next("a number")), null);
                case "equals" when allowEquals:
                    return new Comparison(ComparisonKind.Equals, double.NaN, double.NaN, Value(c.Next("a value")));
                default:
                    throw new LineError($"unknown comparison '{op.Text}' (expected {(allowEquals ? "between, above, below or equals" : "between, above or below")})");
            }
        }

        private string UseBoard(Token t)
        {
            string board = BoardName(t);
            _boardUses.Add((LineNumber, board));
            return board;
        }

        private static string BoardName(Token t)
        {
            string s = t.Text;
            bool ok = !t.Quoted && s.Length > 0 && char.IsAsciiLetterLower(s[0]) &&
                      s.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-' || ch == '_');
            if (!ok)
            {
                throw new LineError($"board name '{s}' must start with a-z and use only a-z, 0-9, '-' and '_'");
            }

            return s;
        }

        private static string Name(Token t, string what)
        {
            if (t.Quoted || t.Text.Length == 0)
            {
                throw new LineError($"{what} names are written without quotes");
            }

            return t.Text;
        }

        private static double Time(Token t)
        {
            if (t.Quoted)
            {
                throw new LineError($"time \"{t.Text}\" must not be quoted");
            }

            if (!ScenarioTime.TryParse(t.Text, out double s, out string? error))
            {
                throw new LineError(error!);
            }

            return s;
        }

        private static double Number(Token t)
        {
            if (t.Quoted || !double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
            {
                throw new LineError($"'{t.Text}' is not a finite number");
            }

            return x;
        }

        private static ScenarioValue Value(Token t)
        {
            if (t.Quoted)
            {
                return ScenarioValue.Of(t.Text);
            }

            if (t.Text == "true" || t.Text == "false")
            {
                return ScenarioValue.Of(t.Text == "true");
            }

            if (double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x))
            {
                return ScenarioValue.Of(x);
            }

            throw new LineError($"value '{t.Text}' is not true, false, a finite number or a quoted string");
        }
    }

    private sealed class Cursor
    {
        private readonly List<Token> _tokens;
        private int _i;

        public Cursor(List<Token> tokens) => _tokens = tokens;

        public bool More => _i < _tokens.Count;

        public Token Next(string expected)
        {
            if (_i >= _tokens.Count)
            {
                throw new LineError($"line ends where {expected} was expected");
            }

            return _tokens[_i++];
        }

        public Token Peek(string expected)
        {
            if (_i >= _tokens.Count)
            {
                throw new LineError($"line ends where {expected} was expected");
            }

            return _tokens[_i];
        }

        public void End()
        {
            if (_i < _tokens.Count)
            {
                throw new LineError($"unexpected '{_tokens[_i].Text}' at column {_tokens[_i].Column}: the line should end here");
            }
        }
    }
}
