using System.Numerics;
using Tfb.Plant.Core;

namespace Tfb.Plant.Models;

/// <summary>What is wrong with one cell of a sheet (ground truth for the binning confusion matrix).</summary>
public enum SheetDefect
{
    /// <summary>A healthy cell.</summary>
    None = 0,
    /// <summary>A pinhole short through the LiPON (R_short in parallel with the whole cell).</summary>
    Short = 1,
    /// <summary>A probe that does not touch (contact open).</summary>
    Open = 2,
    /// <summary>A probe with high contact resistance (tens to thousands of ohms).</summary>
    HighContact = 3,
}

/// <summary>A sheet of cells: grid, geometry, process spreads, defect densities.</summary>
public sealed record SheetConfig
{
    /// <summary>Columns (x), 0 at the left seen from the coated side.</summary>
    public int Columns { get; init; } = 20;
    /// <summary>Rows (y), 0 at the leading edge.</summary>
    public int Rows { get; init; } = 25;
    /// <summary>Cell pitch across the web, mm.</summary>
    public double PitchXMm { get; init; } = 12;
    /// <summary>Cell pitch along the web, mm.</summary>
    public double PitchYMm { get; init; } = 12;
    /// <summary>Cell width, mm (10 x 10 mm: the 1 cm2 class).</summary>
    public double CellWMm { get; init; } = 10;
    /// <summary>Cell height, mm.</summary>
    public double CellHMm { get; init; } = 10;
    /// <summary>True after formation (OCV from the LiCoO2 table), false as made (about 0 V, blocking).</summary>
    public bool Formed { get; init; }
    /// <summary>Mean LiPON thickness, um (65 ohm at 1.5 um, 2.3e-6 S/cm, 1 cm2).</summary>
    public double LiponUm { get; init; } = 1.5;
    /// <summary>Cross-web thickness gradient, fraction edge to edge (+-2-5 %).</summary>
    public double LiponCrossWebFraction { get; init; } = 0.03;
    /// <summary>Smooth random thickness field amplitude, fraction (1 sigma).</summary>
    public double LiponFieldFraction { get; init; } = 0.01;
    /// <summary>LiPON ionic conductivity, S/cm.</summary>
    public double LiponSPerCm { get; init; } = 2.3e-6;
    /// <summary>LiPON relative permittivity (C_geo 7-13 nF for 1 cm2 at 1-1.5 um).</summary>
    public double LiponEpsR { get; init; } = 11;
    /// <summary>Series (collector) resistance, ohm.</summary>
    public double SeriesOhm { get; init; } = 0.5;
    /// <summary>Interface charge-transfer resistance, ohm cm2 (10-300).</summary>
    public double ChargeTransferOhmCm2 { get; init; } = 100;
    /// <summary>Interface CPE Q, F s^(n-1) per cm2 (1-10 uF/cm2).</summary>
    public double InterfaceCpeQ { get; init; } = 5e-6;
    /// <summary>Interface CPE exponent n (0.8-0.95).</summary>
    public double InterfaceCpeN { get; init; } = 0.9;
    /// <summary>Finite-length Warburg resistance, ohm.</summary>
    public double WarburgOhm { get; init; } = 20;
    /// <summary>Finite-length Warburg time constant, s (about 9000 s for 3 um LiCoO2).</summary>
    public double WarburgTauS { get; init; } = 9000;
    /// <summary>Blocking CPE before formation, F s^(n-1) per cm2.</summary>
    public double BlockingCpeQ { get; init; } = 5e-6;
    /// <summary>Blocking CPE exponent.</summary>
    public double BlockingCpeN { get; init; } = 0.95;
    /// <summary>Mean state of charge after formation (0..1).</summary>
    public double MeanSoc { get; init; } = 0.985;
    /// <summary>State-of-charge spread (1 sigma).</summary>
    public double SocSigma { get; init; } = 0.004;
    /// <summary>Healthy self-discharge drift, V per hour (uV-tens of uV per hour).</summary>
    public double DriftVPerHour { get; init; } = -20e-6;
    /// <summary>Short density D0 per cm2 (Poisson).</summary>
    public double ShortDensityPerCm2 { get; init; } = 0.006;
    /// <summary>Short resistance range (log-uniform), ohm.</summary>
    public double ShortMinOhm { get; init; } = 10;
    /// <summary>Short resistance range (log-uniform), ohm.</summary>
    public double ShortMaxOhm { get; init; } = 100e3;
    /// <summary>Probability that a cell's probes do not touch.</summary>
    public double OpenProbability { get; init; } = 0.003;
    /// <summary>Probability of a high-contact probe.</summary>
    public double HighContactProbability { get; init; } = 0.004;
    /// <summary>Median healthy contact resistance (four Kelvin probes together), ohm.</summary>
    public double ContactMedianOhm { get; init; } = 1.0;
    /// <summary>Lognormal sigma of the healthy contact resistance.</summary>
    public double ContactSigma { get; init; } = 0.4;
    /// <summary>LiPON electronic leakage resistance of a healthy cell, ohm.</summary>
    public double LeakageOhm { get; init; } = 5e9;
}

/// <summary>One cell's equivalent circuit and defects (ground truth).</summary>
public sealed class SheetCell
{
    /// <summary>Column.</summary>
    public int X { get; init; }
    /// <summary>Row.</summary>
    public int Y { get; init; }
    /// <summary>Injected defect.</summary>
    public SheetDefect Defect { get; init; }
    /// <summary>LiPON thickness, um.</summary>
    public double LiponUm { get; init; }
    /// <summary>Series resistance, ohm.</summary>
    public double SeriesOhm { get; init; }
    /// <summary>LiPON ionic resistance, ohm.</summary>
    public double LiponOhm { get; init; }
    /// <summary>Geometric capacitance, F.</summary>
    public double GeometricF { get; init; }
    /// <summary>Charge-transfer resistance, ohm.</summary>
    public double ChargeTransferOhm { get; init; }
    /// <summary>Interface CPE Q.</summary>
    public double CpeQ { get; init; }
    /// <summary>Short resistance (infinity when none), ohm.</summary>
    public double ShortOhm { get; init; } = double.PositiveInfinity;
    /// <summary>Sum of the four Kelvin probe contacts (infinity when open), ohm.</summary>
    public double ContactOhm { get; init; }
    /// <summary>OCV at sheet load time, V (about 0 before formation).</summary>
    public double OcvAtLoadV { get; init; }
    /// <summary>OCV drift, V/h.</summary>
    public double DriftVPerHour { get; init; }
    /// <summary>Parallel DC leakage (electronic leakage in parallel with any short), ohm.</summary>
    public double LeakageOhm { get; init; }
}

/// <summary>A generated sheet: its cells in row-major order (index = y * Columns + x).</summary>
public sealed class Sheet
{
    private static readonly double[] s_ocvSoc = { 0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 };
    private static readonly double[] s_ocvV = { 3.80, 3.87, 3.90, 3.92, 3.93, 3.935, 3.95, 3.98, 4.03, 4.08, 4.13, 4.19 };

    /// <summary>Generates sheet number <paramref name="index"/> from <paramref name="random"/>.</summary>
    public Sheet(SheetConfig config, int index, PlantRandom random)
    {
        Config = config;
        Index = index;
        Cells = new SheetCell[config.Columns * config.Rows];
        double areaCm2 = config.CellWMm * config.CellHMm / 100.0;
        // A smooth random field: a few random low-order cosine modes over the sheet.
        double[] amp = new double[4], kx = new double[4], ky = new double[4], ph = new double[4];
        for (int m = 0; m < 4; m++)
        {
            amp[m] = random.NextGaussian() * config.LiponFieldFraction / 2;
            kx[m] = (1 + m % 2) * Math.PI / Math.Max(1, config.Columns);
            ky[m] = (1 + m / 2) * Math.PI / Math.Max(1, config.Rows);
            ph[m] = random.NextDouble() * 2 * Math.PI;
        }
        double shortP = 1 - Math.Exp(-config.ShortDensityPerCm2 * areaCm2);
        for (int y = 0; y < config.Rows; y++)
        {
            for (int x = 0; x < config.Columns; x++)
            {
                double cross = config.Columns > 1 ? (x / (double)(config.Columns - 1) - 0.5) * config.LiponCrossWebFraction : 0;
                double field = 0;
                for (int m = 0; m < 4; m++) field += amp[m] * Math.Cos(kx[m] * x + ky[m] * y + ph[m]);
                double d = config.LiponUm * (1 + cross + field);
                double rL = d * 1e-4 / (config.LiponSPerCm * areaCm2);
                double cg = 8.854e-12 * config.LiponEpsR * areaCm2 * 1e-4 / (d * 1e-6);
                double rct = config.ChargeTransferOhmCm2 / areaCm2 * Math.Exp(0.1 * random.NextGaussian());
                double q = config.InterfaceCpeQ * areaCm2 * Math.Exp(0.05 * random.NextGaussian());
                double rs = config.SeriesOhm * (1 + 0.05 * random.NextGaussian());
                SheetDefect defect = SheetDefect.None;
                double rShort = double.PositiveInfinity;
                double contact = config.ContactMedianOhm * Math.Exp(config.ContactSigma * random.NextGaussian());
                double u = random.NextDouble();
                if (u < shortP)
                {
                    defect = SheetDefect.Short;
                    rShort = config.ShortMinOhm * Math.Pow(config.ShortMaxOhm / config.ShortMinOhm, random.NextDouble());
                }
                else if (u < shortP + config.OpenProbability)
                {
                    defect = SheetDefect.Open;
                    contact = double.PositiveInfinity;
                }
                else if (u < shortP + config.OpenProbability + config.HighContactProbability)
                {
                    defect = SheetDefect.HighContact;
                    contact = 100 * Math.Pow(50, random.NextDouble());
                }
                double soc = Math.Clamp(config.MeanSoc + config.SocSigma * random.NextGaussian(), 0, 1);
                double ocv = 0, drift = 0;
                if (config.Formed)
                {
                    // A short drained the cell since formation: the lower R_short, the emptier; below ~1 kohm dead.
                    double socEff = double.IsInfinity(rShort) ? soc : soc * (rShort / (rShort + 20e3));
                    ocv = rShort < 1e3 ? 0.02 * rShort / 1e3 : OcvFromSoc(socEff);
                    drift = config.DriftVPerHour * (1 + 0.3 * random.NextGaussian()) - (double.IsInfinity(rShort) ? 0 : 4.0 / 24 * 1e4 / rShort);
                }
                else
                {
                    ocv = 0.5e-3 * random.NextGaussian(); // floating: a fraction of a mV
                }
                double leak = 1.0 / (1.0 / config.LeakageOhm + 1.0 / rShort);
                Cells[y * config.Columns + x] = new SheetCell
                {
                    X = x, Y = y, Defect = defect, LiponUm = d, SeriesOhm = rs, LiponOhm = rL, GeometricF = cg,
                    ChargeTransferOhm = rct, CpeQ = q, ShortOhm = rShort, ContactOhm = contact,
                    OcvAtLoadV = ocv, DriftVPerHour = drift, LeakageOhm = leak,
                };
            }
        }
    }

    /// <summary>The configuration it was made with.</summary>
    public SheetConfig Config { get; }
    /// <summary>Sheet number on the roll (0-based).</summary>
    public int Index { get; }
    /// <summary>Cells, row-major.</summary>
    public SheetCell[] Cells { get; }

    /// <summary>The cell at (x, y).</summary>
    public SheetCell Cell(int x, int y) => Cells[y * Config.Columns + x];

    /// <summary>LiCoO2 OCV at a state of charge (table from the reference, linear between points).</summary>
    public static double OcvFromSoc(double soc)
    {
        soc = Math.Clamp(soc, 0, 1);
        for (int i = 1; i < s_ocvSoc.Length; i++)
        {
            if (soc <= s_ocvSoc[i])
            {
                double f = (soc - s_ocvSoc[i - 1]) / (s_ocvSoc[i] - s_ocvSoc[i - 1]);
                return s_ocvV[i - 1] + f * (s_ocvV[i] - s_ocvV[i - 1]);
            }
        }
        return s_ocvV[^1];
    }

    /// <summary>The cell's true impedance at <paramref name="frequencyHz"/> (Kelvin: contacts excluded), ohm.</summary>
    public Complex Impedance(SheetCell c, double frequencyHz)
    {
        double w = 2 * Math.PI * frequencyHz;
        Complex jw = new(0, w);
        Complex z = c.SeriesOhm + c.LiponOhm / (1 + jw * c.LiponOhm * c.GeometricF);
        if (Config.Formed)
        {
            Complex cpe = 1.0 / (c.CpeQ * Complex.Pow(jw, Config.InterfaceCpeN));
            z += c.ChargeTransferOhm * cpe / (c.ChargeTransferOhm + cpe);
            Complex s = Complex.Sqrt(jw * Config.WarburgTauS);
            // Finite-length (transmissive) Warburg: R_W tanh(sqrt(jw tau)) / sqrt(jw tau); tanh -> 1 for large |s|.
            Complex th = s.Real > 20 ? Complex.One : Complex.Tanh(s);
            z += Config.WarburgOhm * th / s;
        }
        else
        {
            double area = Config.CellWMm * Config.CellHMm / 100.0;
            z += 1.0 / (Config.BlockingCpeQ * area * Complex.Pow(jw, Config.BlockingCpeN));
        }
        if (!double.IsInfinity(c.ShortOhm)) z = z * c.ShortOhm / (z + c.ShortOhm);
        return z;
    }

    /// <summary>The cell's true OCV at <paramref name="hoursSinceLoad"/> after the sheet was loaded, V.</summary>
    public double Ocv(SheetCell c, double hoursSinceLoad) => c.OcvAtLoadV + c.DriftVPerHour * hoursSinceLoad;

    /// <summary>DC series resistance used for the charging transient of a DC step (ohm).</summary>
    public double DcSeriesOhm(SheetCell c) => c.SeriesOhm + c.LiponOhm + (Config.Formed ? c.ChargeTransferOhm : 0);
}
