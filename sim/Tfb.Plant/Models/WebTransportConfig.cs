namespace Tfb.Plant.Models;

/// <summary>The foil: geometry and material.</summary>
public sealed record WebMaterial
{
    /// <summary>Thickness, m (default 20 um stainless).</summary>
    public double ThicknessM { get; init; } = 20e-6;

    /// <summary>Width, m.</summary>
    public double WidthM { get; init; } = 0.300;

    /// <summary>Young's modulus, Pa (SS304 193 GPa).</summary>
    public double YoungsModulusPa { get; init; } = 193e9;

    /// <summary>Density, kg/m3.</summary>
    public double DensityKgPerM3 { get; init; } = 8000;

    /// <summary>Linear thermal expansion, 1/K (SS304 17.3e-6).</summary>
    public double ThermalExpansionPerK { get; init; } = 17.3e-6;

    /// <summary>Axial stiffness E*A, N (about 1.16 MN for 20 um x 300 mm).</summary>
    public double StiffnessN => YoungsModulusPa * ThicknessM * WidthM;
}

/// <summary>What a roller is.</summary>
public enum RollerKind
{
    /// <summary>A roll the web leaves: radius shrinks with web paid out.</summary>
    Unwind,

    /// <summary>A fixed-radius driven roller (process drum, pull roll).</summary>
    Driven,

    /// <summary>A roll the web winds onto: radius grows.</summary>
    Rewind,
}

/// <summary>How the roller's drive is commanded.</summary>
public enum DriveMode
{
    /// <summary>Torque input <c>&lt;web&gt;.&lt;roller&gt;.torqueNm</c>: the roller's speed follows the torque balance.</summary>
    Torque,

    /// <summary>
    /// Speed input <c>&lt;web&gt;.&lt;roller&gt;.speedRefMps</c>: the drive's own (kHz) speed loop holds
    /// angular speed = reference / mean radius, stiff against web tension.
    /// </summary>
    Speed,
}

/// <summary>One roller or roll.</summary>
public sealed record RollerConfig
{
    /// <summary>Name, e.g. <c>unwind</c>, <c>drum</c>, <c>rewind</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Roller kind.</summary>
    public RollerKind Kind { get; init; } = RollerKind.Driven;

    /// <summary>Drive mode.</summary>
    public DriveMode Mode { get; init; } = DriveMode.Torque;

    /// <summary>Initial outer radius (roll) or fixed radius (roller), m.</summary>
    public double RadiusM { get; init; } = 0.05;

    /// <summary>Core radius (rolls only), m.</summary>
    public double CoreRadiusM { get; init; } = 0.038;

    /// <summary>Motor plus gearbox inertia seen at the roller, kg m2.</summary>
    public double MotorInertiaKgM2 { get; init; } = 0.005;

    /// <summary>Core or roller shell inertia, kg m2.</summary>
    public double CoreInertiaKgM2 { get; init; } = 0.005;

    /// <summary>Viscous friction b, N m s/rad.</summary>
    public double ViscousNmsPerRad { get; init; } = 0.001;

    /// <summary>Coulomb friction Fc, N m.</summary>
    public double CoulombNm { get; init; } = 0.02;
}

/// <summary>One free span between two rollers.</summary>
public sealed record SpanConfig
{
    /// <summary>Name, e.g. <c>span1</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Length, m.</summary>
    public double LengthM { get; init; } = 1.0;

    /// <summary>Initial tension, N.</summary>
    public double InitialTensionN { get; init; }

    /// <summary>
    /// Lumped material and air damping, N per (m/s) of stretch rate: the reported tension is
    /// T + D*(v_out - v_in). Without it the roll-web spring rings for ever in simulation.
    /// </summary>
    public double DampingNsPerM { get; init; } = 500;
}

/// <summary>A web line: rollers 0..n-1 in web direction, span i between roller i-1 and roller i.</summary>
public sealed record WebTransportConfig
{
    /// <summary>Signal and fault-target prefix, e.g. <c>web</c>.</summary>
    public string Name { get; init; } = "web";

    /// <summary>The foil.</summary>
    public WebMaterial Web { get; init; } = new();

    /// <summary>Rollers in web direction.</summary>
    public required IReadOnlyList<RollerConfig> Rollers { get; init; }

    /// <summary>Spans; span i (1-based in names) joins roller i-1 and roller i. Count = rollers - 1.</summary>
    public required IReadOnlyList<SpanConfig> Spans { get; init; }

    /// <summary>Tension stored in the unwind roll (wound-in), N: the web enters span 1 carrying it.</summary>
    public double WoundInTensionN { get; init; }

    /// <summary>Largest internal integration step, s; each plant step is split into equal substeps no longer than this.</summary>
    public double MaxSubstepS { get; init; } = 1e-4;

    /// <summary>
    /// Time compression of roll building: radius changes this many times faster than the web thickness gives
    /// (1 = real). Benchmarks use it to run a full 3:1 roll in minutes; a controller's integrated-thickness
    /// radius estimate must then use thickness x scale.
    /// </summary>
    public double RollBuildScale { get; init; } = 1.0;

    /// <summary>Initial line speed (all rollers), m/s.</summary>
    public double InitialSpeedMps { get; init; }

    /// <summary>
    /// The station's default line: torque-driven unwind (150 mm radius on a 38 mm core), speed-master
    /// process drum (R 100 mm), torque-driven rewind (40 mm), two 1 m spans, 20 um x 300 mm SS304.
    /// </summary>
    public static WebTransportConfig Default() => new()
    {
        Rollers = new[]
        {
            new RollerConfig { Name = "unwind", Kind = RollerKind.Unwind, Mode = DriveMode.Torque, RadiusM = 0.150 },
            new RollerConfig { Name = "drum", Kind = RollerKind.Driven, Mode = DriveMode.Speed, RadiusM = 0.100, CoreInertiaKgM2 = 0.2 },
            new RollerConfig { Name = "rewind", Kind = RollerKind.Rewind, Mode = DriveMode.Torque, RadiusM = 0.040 },
        },
        Spans = new[]
        {
            new SpanConfig { Name = "span1" },
            new SpanConfig { Name = "span2" },
        },
    };
}
