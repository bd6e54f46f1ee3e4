// Compile-only surface of nanoFramework.System.Math 1.5.116 (assembly System.Math).
// Signatures from shared/reference/nanoframework-api-2.md section 1; only members the firmware calls.
// Overload sets are kept exactly as the real package has them, because overload resolution is the trap:
// no long/uint overloads for Abs/Max/Min, no Round(double, int), Clamp without int.
using System.Reflection;

[assembly: AssemblyVersion("1.5.116.0")]

namespace System
{
    public static class Math
    {
        public const double PI = 3.14159265358979323846;
        public const double E = 2.7182818284590452354;

        public static int Abs(int val) { throw null; }
        public static double Abs(double val) { throw null; }
        public static float Abs(float val) { throw null; }
        public static int Max(int x, int y) { throw null; }
        public static double Max(double x, double y) { throw null; }
        public static float Max(float x, float y) { throw null; }
        public static int Min(int x, int y) { throw null; }
        public static double Min(double x, double y) { throw null; }
        public static float Min(float x, float y) { throw null; }
        public static double Sqrt(double d) { throw null; }
        public static double Exp(double d) { throw null; }
        public static double Log(double d) { throw null; }
        public static double Log10(double d) { throw null; }
        public static double Pow(double x, double y) { throw null; }
        public static double Floor(double d) { throw null; }
        public static double Ceiling(double d) { throw null; }
        public static double Round(double d) { throw null; }
        public static double Truncate(double d) { throw null; }
        public static double Sin(double d) { throw null; }
        public static double Cos(double d) { throw null; }
        public static double Tan(double d) { throw null; }
        public static double Atan(double d) { throw null; }
        public static double Atan2(double y, double x) { throw null; }
        public static int Sign(double value) { throw null; }
        public static int Sign(float value) { throw null; }
        public static double Clamp(double value, double min, double max) { throw null; }
        public static long Clamp(long value, long min, long max) { throw null; }
        public static float Clamp(float value, float min, float max) { throw null; }
    }
}
