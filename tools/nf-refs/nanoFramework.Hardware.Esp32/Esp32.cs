// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.Hardware.Esp32 1.6.40. Configuration and HighResTimer as in the package; DeviceFunction values
// are the literal ones (I2S and SDMMC members omitted: nothing here routes them).
using System;
using System.Reflection;

[assembly: AssemblyVersion("1.6.40.0")]

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        SPI1_MOSI = 0x10100,
        SPI1_MISO = 0x10101,
        SPI1_CLOCK = 0x10102,
        SPI2_MOSI = 0x10200,
        SPI2_MISO = 0x10201,
        SPI2_CLOCK = 0x10202,
        I2C1_DATA = 0x20100,
        I2C1_CLOCK = 0x20101,
        I2C2_DATA = 0x20200,
        I2C2_CLOCK = 0x20201,
        COM1_TX = 0x30100,
        COM1_RX = 0x30101,
        COM1_RTS = 0x30102,
        COM1_CTS = 0x30103,
        COM2_TX = 0x30200,
        COM2_RX = 0x30201,
        COM2_RTS = 0x30202,
        COM2_CTS = 0x30203,
        COM3_TX = 0x30300,
        COM3_RX = 0x30301,
        COM3_RTS = 0x30302,
        COM3_CTS = 0x30303,
        COM4_TX = 0x30400,
        COM4_RX = 0x30401,
        COM4_RTS = 0x30402,
        COM4_CTS = 0x30403,
        PWM1 = 0x40100,
        PWM2 = 0x40200,
        PWM3 = 0x40300,
        PWM4 = 0x40400,
        PWM5 = 0x40500,
        PWM6 = 0x40600,
        PWM7 = 0x40700,
        PWM8 = 0x40800,
        PWM9 = 0x40900,
        PWM10 = 0x40A00,
        PWM11 = 0x40B00,
        PWM12 = 0x40C00,
        PWM13 = 0x40D00,
        PWM14 = 0x40E00,
        PWM15 = 0x40F00,
        PWM16 = 0x41000,
        ADC1_CH0 = 0x50100,
        ADC1_CH1 = 0x50101,
        ADC1_CH2 = 0x50102,
        ADC1_CH3 = 0x50103,
        ADC1_CH4 = 0x50104,
        ADC1_CH5 = 0x50105,
        ADC1_CH6 = 0x50106,
        ADC1_CH7 = 0x50107,
        ADC1_CH8 = 0x50108,
        ADC1_CH9 = 0x50109,
        ADC1_CH10 = 0x5010A,
        ADC1_CH11 = 0x5010B,
        ADC1_CH12 = 0x5010C,
        ADC1_CH13 = 0x5010D,
        ADC1_CH14 = 0x5010E,
        ADC1_CH15 = 0x5010F,
        ADC1_CH16 = 0x50110,
        ADC1_CH17 = 0x50111,
        ADC1_CH18 = 0x50112,
        ADC1_CH19 = 0x50113,
    }

    // Not static in the real assembly; all members static.
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) { throw null; }
        public static int GetFunctionPin(DeviceFunction function) { throw null; }
    }

    public delegate void HighResTimerExpiredEventHandler(HighResTimer sender, object e);

    public class HighResTimer : IDisposable
    {
        public HighResTimer() { throw null; }
        public event HighResTimerExpiredEventHandler OnHighResTimerExpired;
        public static ulong GetCurrent() { throw null; }
        public void StartOneShot(ulong timeout_us) { throw null; }
        public void StartOnePeriodic(ulong period_us) { throw null; }
        public void Stop() { throw null; }
        protected virtual void Dispose(bool disposing) { throw null; }
        public void Dispose() { throw null; }
    }
}
