// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.IO.Ports 1.1.139. One ctor with optional parameters; PortName is read-only.
using System.Reflection;

[assembly: AssemblyVersion("1.1.139.0")]

namespace System.IO.Ports
{
    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2,
    }

    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3,
    }

    public enum Handshake
    {
        None = 0,
        XOnXOff = 1,
        RequestToSend = 2,
        RequestToSendXOnXOff = 3,
    }

    public enum SerialMode
    {
        Normal = 0,
        RS485 = 1,
    }

    public enum SerialData
    {
        Chars = 1,
        WatchChar = 2,
    }

    public class SerialDataReceivedEventArgs : EventArgs
    {
        internal SerialDataReceivedEventArgs() { }
        public SerialData EventType { get { throw null; } }
    }

    public delegate void SerialDataReceivedEventHandler(object sender, SerialDataReceivedEventArgs e);

    public sealed class SerialPort : IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { throw null; }
        public static string[] GetPortNames() { throw null; }
        public string PortName { get { throw null; } }
        public int BaudRate { get { throw null; } set { throw null; } }
        public Parity Parity { get { throw null; } set { throw null; } }
        public int DataBits { get { throw null; } set { throw null; } }
        public StopBits StopBits { get { throw null; } set { throw null; } }
        public Handshake Handshake { get { throw null; } set { throw null; } }
        public SerialMode Mode { get { throw null; } set { throw null; } }
        public int ReadTimeout { get { throw null; } set { throw null; } }
        public int WriteTimeout { get { throw null; } set { throw null; } }
        public int ReceivedBytesThreshold { get { throw null; } set { throw null; } }
        public bool IsOpen { get { throw null; } }
        public int BytesToRead { get { throw null; } }
        public int ReadBufferSize { get { throw null; } set { throw null; } }
        public int WriteBufferSize { get { throw null; } set { throw null; } }
        public Stream BaseStream { get { throw null; } }
        public void Open() { throw null; }
        public void Close() { throw null; }
        public void Dispose() { throw null; }
        public int Read(byte[] buffer, int offset, int count) { throw null; }
        public int ReadByte() { throw null; }
        public void Write(byte[] buffer, int offset, int count) { throw null; }
        public void WriteByte(byte value) { throw null; }
        public event SerialDataReceivedEventHandler DataReceived;
    }
}
