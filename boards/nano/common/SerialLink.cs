using System;
using System.IO.Ports;
using System.Threading;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>ISerialLink over a nanoFramework SerialPort (the technician console UART).</summary>
    /// <remarks>
    /// Threading: one reader and one writer thread (the console's), never the scan. Read polls BytesToRead in
    /// 10 ms steps up to the timeout, which keeps the console thread off the port's own blocking read.
    /// </remarks>
    public sealed class SerialLink : ISerialLink, IDisposable
    {
        private const int PollMs = 10;
        private readonly SerialPort _port;
        private bool _closed;

        /// <summary>Opens the UART of <paramref name="def"/> at 8N1.</summary>
        public SerialLink(UartDef def)
        {
            _port = new SerialPort(def.Port, def.Baud, Parity.None, 8, StopBits.One);
            _port.ReadBufferSize = 512;
            _port.ReadTimeout = 0;
            _port.WriteTimeout = 500;
            _port.Open();
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_closed) return -1;
            if (buffer == null || offset < 0 || count <= 0 || offset > buffer.Length - count) return 0;
            try
            {
                int waited = 0;
                while (_port.BytesToRead == 0)
                {
                    if (waited >= timeoutMs) return 0;
                    Thread.Sleep(PollMs);
                    waited += PollMs;
                }
                int available = _port.BytesToRead;
                return _port.Read(buffer, offset, available < count ? available : count);
            }
            catch (Exception)
            {
                _closed = true;
                return -1;
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            if (_closed || buffer == null || offset < 0 || count <= 0 || offset > buffer.Length - count) return;
            try
            {
                _port.Write(buffer, offset, count);
            }
            catch (Exception)
            {
                // A terminal may come and go; a failed write drops the bytes (ISerialLink contract).
            }
        }

        /// <summary>Closes the port.</summary>
        public void Dispose()
        {
            _closed = true;
            _port.Dispose();
        }
    }
}
