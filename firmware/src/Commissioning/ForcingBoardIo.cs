using Tfb.Boards;
using Tfb.Hal;
using Tfb.Runtime;

namespace Tfb.Commissioning
{
    /// <summary>
    /// The board's <see cref="IBoardIo"/> with every declared output wrapped for commissioning forces. The
    /// composition root creates it over the platform's IBoardIo and hands THIS to the station modules and the
    /// output bank, so a force and a module never fight: the wrapper decides who drives the pin.
    /// </summary>
    /// <remarks>Built once at composition time; read-only afterwards, so any thread may look up.</remarks>
    public sealed class ForcingBoardIo : IBoardIo
    {
        private readonly IBoardIo _inner;
        private readonly ForcedDigitalOutput[] _digital;
        private readonly ForcedAnalogOutput[] _analog;

        /// <summary>Wraps the outputs of <paramref name="board"/> found in <paramref name="inner"/> (a missing one stays missing).</summary>
        public ForcingBoardIo(IBoardIo inner, BoardDefinition board)
        {
            if (inner == null) throw new System.ArgumentNullException("inner");
            if (board == null) throw new System.ArgumentNullException("board");
            _inner = inner;
            Board = board;
            int nd = board.DigitalOutputs == null ? 0 : board.DigitalOutputs.Length;
            int na = board.AnalogOutputs == null ? 0 : board.AnalogOutputs.Length;
            _digital = new ForcedDigitalOutput[nd];
            _analog = new ForcedAnalogOutput[na];
            for (int i = 0; i < nd; i++)
            {
                DigitalOutputDef d = board.DigitalOutputs[i];
                IDigitalOutput o = inner.DigitalOutput(d.Name);
                if (o != null) _digital[i] = new ForcedDigitalOutput(d.Name, d.SafeActive, o);
            }
            for (int i = 0; i < na; i++)
            {
                AnalogOutputDef d = board.AnalogOutputs[i];
                IAnalogOutput o = inner.AnalogOutput(d.Name);
                if (o != null) _analog[i] = new ForcedAnalogOutput(d.Name, d.SafeFraction, o);
            }
        }

        /// <summary>The board definition the wrappers follow.</summary>
        public BoardDefinition Board { get; private set; }

        /// <summary>Digital outputs declared (board-definition order); an entry is null when the platform lacks it.</summary>
        public int DigitalOutputCount { get { return _digital.Length; } }

        /// <summary>Analog outputs declared (board-definition order).</summary>
        public int AnalogOutputCount { get { return _analog.Length; } }

        /// <summary>Wrapper of digital output <paramref name="index"/>, or null.</summary>
        public ForcedDigitalOutput GetDigitalOutput(int index) { return _digital[index]; }

        /// <summary>Wrapper of analog output <paramref name="index"/>, or null.</summary>
        public ForcedAnalogOutput GetAnalogOutput(int index) { return _analog[index]; }

        /// <inheritdoc />
        public IDigitalInput DigitalInput(string name) { return _inner.DigitalInput(name); }

        /// <inheritdoc />
        public IDigitalOutput DigitalOutput(string name)
        {
            for (int i = 0; i < _digital.Length; i++)
            {
                if (_digital[i] != null && _digital[i].Name == name) return _digital[i];
            }
            return null;
        }

        /// <inheritdoc />
        public IAnalogInput AnalogInput(string name) { return _inner.AnalogInput(name); }

        /// <inheritdoc />
        public IAnalogOutput AnalogOutput(string name)
        {
            for (int i = 0; i < _analog.Length; i++)
            {
                if (_analog[i] != null && _analog[i].Name == name) return _analog[i];
            }
            return null;
        }

        /// <inheritdoc />
        public ISpiTransfer SpiDevice(string name) { return _inner.SpiDevice(name); }

        /// <summary>The inner board's ADC block source.</summary>
        public IAdcBlockSource AdcBlockSource(string name) { return _inner.AdcBlockSource(name); }

        /// <inheritdoc />
        public INvStore NvStore(string name) { return _inner.NvStore(name); }

        /// <inheritdoc />
        public IWatchdog Watchdog { get { return _inner.Watchdog; } }

        /// <inheritdoc />
        public ISerialLink Console { get { return _inner.Console; } }

        /// <summary>Ends every force and drives every output to its safe state.</summary>
        public void AllOutputsSafe()
        {
            for (int i = 0; i < _digital.Length; i++) if (_digital[i] != null) _digital[i].SetSafe();
            for (int i = 0; i < _analog.Length; i++) if (_analog[i] != null) _analog[i].SetSafe();
            _inner.AllOutputsSafe();
        }
    }
}
