// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.Runtime.Events 1.11.37.
using System.Reflection;

[assembly: AssemblyVersion("1.11.37.0")]

namespace nanoFramework.Runtime.Events
{
    public class BaseEvent
    {
        public ushort Source;
        public byte Message;
    }
}
