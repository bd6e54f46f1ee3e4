namespace Tfb.Plant.Core;

/// <summary>
/// xoshiro256** generator, seeded through SplitMix64. Each plant component owns one, derived from
/// the scenario seed and the component's name, so adding a component or drawing more numbers in one
/// never changes another component's sequence. No shared state, no wall clock.
/// </summary>
public sealed class PlantRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private double _spare;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public PlantRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator for one named component: seed mixed with a stable 64-bit FNV-1a hash of the name.</summary>
    public static PlantRandom ForComponent(ulong seed, string componentName)
    {
        return new PlantRandom(seed ^ StableHash(componentName));
    }

    /// <summary>FNV-1a over the UTF-16 code units; stable across processes (unlike string.GetHashCode).</summary>
    public static ulong StableHash(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }

        return h;
    }

    /// <summary>Next raw 64-bit output.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Standard normal deviate (Marsaglia polar method; the second deviate is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);

        double m = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spare = v * m;
        _hasSpare = true;
        return u * m;
    }

    /// <summary>True with probability <paramref name="p"/> (clamped to 0..1).</summary>
    public bool Chance(double p) => NextDouble() < p;

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
