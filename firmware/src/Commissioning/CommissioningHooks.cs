using Tfb.Hal;

namespace Tfb.Commissioning
{
    /// <summary>What a station module says about a requested output force.</summary>
    public enum ForceVerdict
    {
        /// <summary>The output is not this module's: it has no opinion.</summary>
        NotMine = 0,
        /// <summary>The module owns the output and its interlocks allow the forced value now.</summary>
        Allow = 1,
        /// <summary>The module owns the output and an interlock forbids the forced value now.</summary>
        Deny = 2,
    }

    /// <summary>
    /// The interlock check behind <c>io force</c>: implemented by every station module that owns outputs and
    /// registered with <see cref="CommissioningModule.AddForcePermit"/>.
    /// </summary>
    /// <remarks>
    /// Called from a console thread when the force is requested AND from the scan thread on every scan while the
    /// force is held (a force whose permit is withdrawn ends at once). So: thread-safe, no allocation, no blocking,
    /// decided from the module's interlock state only. Every registered permit is asked; any Deny refuses the force.
    /// When every permit answers NotMine, the conservative default of <see cref="CommissioningScan.MayForce"/> applies.
    /// </remarks>
    public interface IForcePermit
    {
        /// <summary>Decides whether <paramref name="output"/> may be held at <paramref name="value"/>.</summary>
        /// <param name="output">Logical output name from the board definition.</param>
        /// <param name="analog">True for an analog/PWM output (value = fraction 0..1), false for digital (value 0 or 1 = asserted).</param>
        /// <param name="value">The value to hold.</param>
        /// <param name="interlockCode">On Deny: the alarm code of the interlock that forbids it (0 if none applies).</param>
        ForceVerdict Check(string output, bool analog, double value, out int interlockCode);
    }

    /// <summary>Runs the broker connection test for <c>net test</c> (implemented over the board's MQTT client).</summary>
    /// <remarks>
    /// Called on a console thread; may block up to its own timeout (at most 30 s) while it connects, then must
    /// disconnect and leave the running Sparkplug session untouched (a separate client id).
    /// </remarks>
    public interface IConnectionTester
    {
        /// <summary>Connects with <paramref name="options"/>, then disconnects.</summary>
        /// <param name="options">Options built from the <c>net.*</c> settings (client id ends in <c>-test</c>).</param>
        /// <param name="detail">One printable line saying what happened (e.g. <c>connack accepted</c>, <c>tls: unknown ca</c>).</param>
        /// <returns>0 when connected; otherwise a positive MQTT CONNACK return code or a negative transport code.</returns>
        int TestConnection(MqttConnectOptions options, out string detail);
    }

    /// <summary>Checks that one SPI device answers (for <c>selftest</c>), e.g. by reading an ID register.</summary>
    /// <remarks>Called on a console thread while the line is idle; see <see cref="IdRegisterProbe"/> for the usual one.</remarks>
    public interface ISpiProbe
    {
        /// <summary>Probes <paramref name="device"/>.</summary>
        /// <param name="device">The device from <c>IBoardIo.SpiDevice</c>.</param>
        /// <param name="detail">What was seen, e.g. <c>id 0x58</c> or <c>id 0xff expected 0x58</c>.</param>
        /// <returns>True when the device answered as expected.</returns>
        bool Probe(ISpiTransfer device, out string detail);
    }

    /// <summary>
    /// Where analog calibrations go: the composition root applies (zero, gain) to the adapter of the named input
    /// (on the nano boards <c>AdcAnalogInput.Scaling.SetCalibration</c>, on the virtual board its scaling).
    /// </summary>
    /// <remarks>
    /// Called on the scan thread only (by <see cref="CommissioningScan"/>, before it reads the inputs), when the
    /// <c>cal.&lt;ain&gt;.*</c> settings change and once at the first scan. No allocation, no blocking.
    /// </remarks>
    public interface ICalibrationSink
    {
        /// <summary>Applies calibrated = (eng - <paramref name="zero"/>) * <paramref name="gain"/> to input <paramref name="ain"/>.</summary>
        /// <returns>False when the adapter refuses it (then the previous calibration stays in effect).</returns>
        bool ApplyCalibration(string ain, double zero, double gain);
    }
}
