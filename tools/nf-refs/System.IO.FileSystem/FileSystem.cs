// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.IO.FileSystem 1.1.93. ESP32 internal LittleFS is drive I:.
using System.Reflection;

[assembly: AssemblyVersion("1.1.93.0")]

namespace System.IO
{
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    [Flags]
    public enum FileShare
    {
        None = 0,
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    public static class File
    {
        public static bool Exists(string path) { throw null; }
        public static void Delete(string path) { throw null; }
        public static void Move(string sourceFileName, string destFileName) { throw null; }
    }

    public static class Directory
    {
        public static DirectoryInfo CreateDirectory(string path) { throw null; }
        public static bool Exists(string path) { throw null; }
    }

    public sealed class DirectoryInfo
    {
        public DirectoryInfo(string path) { throw null; }
    }

    public static class Path
    {
        public static string GetDirectoryName(string path) { throw null; }
    }

    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) { throw null; }
        public FileStream(string path, FileMode mode, FileAccess access) { throw null; }
        public FileStream(string path, FileMode mode, FileAccess access, FileShare share) { throw null; }
        public FileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize) { throw null; }
        public string Name { get { throw null; } }
        public override bool CanRead { get { throw null; } }
        public override bool CanSeek { get { throw null; } }
        public override bool CanWrite { get { throw null; } }
        public override long Length { get { throw null; } }
        public override long Position { get { throw null; } set { throw null; } }
        public override void Flush() { throw null; }
        public override int Read(byte[] buffer, int offset, int count) { throw null; }
        public override int Read(SpanByte buffer) { throw null; }
        public override int ReadByte() { throw null; }
        public override long Seek(long offset, SeekOrigin origin) { throw null; }
        public override void SetLength(long value) { throw null; }
        public override void Write(byte[] buffer, int offset, int count) { throw null; }
        public override void WriteByte(byte value) { throw null; }
        public override void Close() { throw null; }
        protected override void Dispose(bool disposing) { throw null; }
    }
}
