// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.Runtime.Native 1.7.11 (System.Environment lives here, not in mscorlib).
using System.Reflection;

[assembly: AssemblyVersion("1.7.11.0")]

namespace System
{
    public static class Environment
    {
        public static long TickCount64 { get { throw null; } }
    }
}

namespace nanoFramework.Runtime.Native
{
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }

    public delegate void RebootEventHandler();

    // Not static in the real assembly (implicit public ctor), all members static.
    public class Power
    {
        public static event RebootEventHandler OnRebootEvent;
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) { throw null; }
        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot) { throw null; }
    }
}
