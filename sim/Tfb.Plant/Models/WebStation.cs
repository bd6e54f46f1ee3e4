using Tfb.Plant.Core;
using Tfb.Plant.Io;

namespace Tfb.Plant.Models;

/// <summary>
/// Wires a web-transport station: one drive actuator per roller, the web model, a load cell per span
/// and an encoder per roller. Signal names (prefix <c>web</c> by default):
/// commands <c>web.&lt;roller&gt;.torqueCmdNm</c> (torque mode) or <c>web.&lt;roller&gt;.speedCmdMps</c> (speed mode);
/// readings <c>web.&lt;span&gt;.loadcell</c> (N) and <c>web.&lt;roller&gt;.encoder</c> (rad).
/// A board reaches the drives through <see cref="WebDriveInterface"/> (<c>enableCmd</c>, <c>refCmd</c>, <c>ready</c>)
/// and the encoders through <see cref="WebEncoderInterface"/> (<c>encPeriodUs</c>, <c>encAgeUs</c>).
/// </summary>
public static class WebStation
{
    /// <summary>Full scale of the torque drives, N m (300 N on a 150 mm roll needs 45 N m plus trim headroom).</summary>
    public const double TorqueFullScaleNm = 100;

    /// <summary>Full scale of the speed drives, m/s (6 m/min).</summary>
    public const double SpeedFullScaleMps = 0.1;

    /// <summary>Encoder edges per revolution (2500 lines, x4 decoding).</summary>
    public const int EncoderCountsPerRev = 10000;

    /// <summary>Torque drives: +-100 N m, 2000 N m/s slew, 2 ms current-loop lag.</summary>
    public static ActuatorDefinition TorqueDrive(string prefix) => new()
    {
        Name = prefix + ".drive",
        Command = prefix + ".torqueCmdNm",
        Output = prefix + ".torqueNm",
        Min = -TorqueFullScaleNm,
        Max = TorqueFullScaleNm,
        RateLimitPerS = 2000,
        LagS = 0.002,
    };

    /// <summary>Speed drives: 0..0.1 m/s (6 m/min), 0.05 m/s2 ramp, 5 ms speed-loop lag.</summary>
    public static ActuatorDefinition SpeedDrive(string prefix) => new()
    {
        Name = prefix + ".drive",
        Command = prefix + ".speedCmdMps",
        Output = prefix + ".speedRefMps",
        Min = 0,
        Max = SpeedFullScaleMps,
        RateLimitPerS = 0.05,
        LagS = 0.005,
    };

    /// <summary>Load cell: 0..1000 N, 24-bit converter (HX711 class), 0.2 N rms noise, 12 ms filter lag, opens read high.</summary>
    public static SensorDefinition LoadCell(string spanPrefix) => new()
    {
        Name = spanPrefix + ".loadcell",
        Source = spanPrefix + ".tensionN",
        RangeMin = 0,
        RangeMax = 1000,
        AdcBits = 24,
        NoiseStd = 0.2,
        LagS = 0.012,
        OpenReads = SensorRail.High,
        ShortReads = SensorRail.Low,
    };

    /// <summary>Encoder: roller angle in rad (the virtual board turns it into counts and periods); a fault reads NaN.</summary>
    public static SensorDefinition Encoder(string rollerPrefix) => new()
    {
        Name = rollerPrefix + ".encoder",
        Source = rollerPrefix + ".angleRad",
        OpenReads = SensorRail.NaN,
        ShortReads = SensorRail.NaN,
    };

    /// <summary>Adds the station to a plant (before its first step).</summary>
    /// <param name="plant">The plant.</param>
    /// <param name="config">Line configuration; <see cref="WebTransportConfig.Default"/> when null.</param>
    /// <returns>The web model.</returns>
    public static WebTransportModel Add(VirtualPlant plant, WebTransportConfig? config = null)
    {
        config ??= WebTransportConfig.Default();
        foreach (RollerConfig r in config.Rollers)
        {
            string prefix = config.Name + "." + r.Name;
            bool torque = r.Mode == DriveMode.Torque;
            plant.Add(new WebDriveInterface(plant, prefix, prefix + (torque ? ".torqueCmdNm" : ".speedCmdMps"), torque, torque ? TorqueFullScaleNm : SpeedFullScaleMps));
        }

        foreach (RollerConfig r in config.Rollers)
        {
            string prefix = config.Name + "." + r.Name;
            plant.Add(new Actuator(plant, r.Mode == DriveMode.Torque ? TorqueDrive(prefix) : SpeedDrive(prefix)));
        }

        WebTransportModel model = plant.Add(new WebTransportModel(plant, config));
        foreach (SpanConfig s in config.Spans)
        {
            plant.Add(new Sensor(plant, LoadCell(config.Name + "." + s.Name)));
        }

        foreach (RollerConfig r in config.Rollers)
        {
            plant.Add(new Sensor(plant, Encoder(config.Name + "." + r.Name)));
            plant.Add(new WebEncoderInterface(plant, config.Name + "." + r.Name, EncoderCountsPerRev));
        }

        return model;
    }
}
