// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.Threading 1.1.52: only CancellationToken(+Source, +Registration) and
// OperationCanceledException are compiled into the 1.x package.
using System.Reflection;

[assembly: AssemblyVersion("1.1.52.0")]

namespace System.Threading
{
    public struct CancellationToken
    {
        public CancellationToken(bool canceled) { throw null; }
        public static CancellationToken None { get { throw null; } }
        public bool IsCancellationRequested { get { throw null; } }
        public bool CanBeCanceled { get { throw null; } }
        public WaitHandle WaitHandle { get { throw null; } }
        public void ThrowIfCancellationRequested() { throw null; }
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource() { throw null; }
        public CancellationTokenSource(int millisecondsDelay) { throw null; }
        public CancellationTokenSource(TimeSpan delay) { throw null; }
        public CancellationToken Token { get { throw null; } }
        public bool IsCancellationRequested { get { throw null; } }
        public void Cancel() { throw null; }
        public void CancelAfter(int millisecondsDelay) { throw null; }
        public void Dispose() { throw null; }
        protected virtual void Dispose(bool disposing) { throw null; }
    }
}
