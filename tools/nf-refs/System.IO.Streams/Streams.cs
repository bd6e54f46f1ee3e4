// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.IO.Streams 1.1.96. Stream.Read(SpanByte) is abstract: every subclass overrides it.
using System.Reflection;

[assembly: AssemblyVersion("1.1.96.0")]

namespace System.IO
{
    [Serializable]
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }

    [Serializable]
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanSeek { get; }
        public abstract bool CanWrite { get; }
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public virtual bool CanTimeout { get { throw null; } }
        public virtual int ReadTimeout { get { throw null; } set { throw null; } }
        public virtual int WriteTimeout { get { throw null; } set { throw null; } }
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract void SetLength(long value);
        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract int Read(SpanByte buffer);
        public abstract void Write(byte[] buffer, int offset, int count);
        public virtual int ReadByte() { throw null; }
        public virtual void WriteByte(byte value) { throw null; }
        public virtual void Close() { throw null; }
        public void Dispose() { throw null; }
        protected virtual void Dispose(bool disposing) { throw null; }
    }
}
