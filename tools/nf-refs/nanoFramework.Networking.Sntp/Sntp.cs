// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.Networking.Sntp 1.6.42 (namespace nanoFramework.Networking). Not static; all members static.
using System.Reflection;

[assembly: AssemblyVersion("1.6.42.0")]

namespace nanoFramework.Networking
{
    public class Sntp
    {
        public static void Start() { throw null; }
        public static void Stop() { throw null; }
        public static void UpdateNow() { throw null; }
        public static bool IsStarted { get { throw null; } }
        public static string Server1 { get { throw null; } set { throw null; } }
        public static string Server2 { get { throw null; } set { throw null; } }
    }
}
