namespace Tfb.Boards
{
    /// <summary>
    /// What each MCU family's pins can do: names, numbering, reserved, input-only and strapping pins, ADC/DAC
    /// channel wiring and the fixed Ethernet RMII pins. Facts from the ESP32 datasheet (v4.x, section 2.2 and
    /// 2.4) and the nanoFramework STM32F769I_DISCOVERY target configuration (ADC/DAC/UART/SPI tables).
    /// </summary>
    public static class McuPins
    {
        // ESP32: GPIO 6-11 are wired to the SPI flash on every module; GPIO 1/3 are UART0, which nanoFramework
        // uses for the wire protocol (deploy and debug), so firmware must not claim them.
        private static readonly int[] s_esp32Reserved = { 1, 3, 6, 7, 8, 9, 10, 11 };
        // Strapping pins sampled at reset (boot mode, flash voltage, boot log, SDIO timing).
        private static readonly int[] s_esp32Strapping = { 0, 2, 5, 12, 15 };
        // RMII data pins of the ESP32 EMAC, fixed in silicon: TXD0, TX_EN, TXD1, RXD0, RXD1, CRS_DV.
        private static readonly int[] s_esp32Rmii = { 19, 21, 22, 25, 26, 27 };
        // ADC1 channel n is on this GPIO (nanoFramework ESP32 channels 0..7 = ADC1_CH0..7; ADC2 is not used:
        // it is shared with the radio driver and several of its pins are strapping or RMII pins).
        private static readonly int[] s_esp32Adc1Gpio = { 36, 37, 38, 39, 32, 33, 34, 35 };
        // DAC channel n is on this GPIO (DAC1 = GPIO25, DAC2 = GPIO26).
        private static readonly int[] s_esp32DacGpio = { 25, 26 };

        // STM32F769I-DISCOVERY nanoFramework ADC channels 0..4 (5..7 are internal: temperature, VREFINT, VBAT).
        private static readonly string[] s_f769AdcPin = { "PA6", "PA4", "PC2", "PF10", "PF8" };
        // DAC1 OUT1 = PA4, OUT2 = PA5.
        private static readonly string[] s_f769DacPin = { "PA4", "PA5" };
        // RMII pins to the LAN8742A on the DISCOVERY board (fixed by the PCB), and USART1 (ST-LINK virtual COM
        // port, used by nanoFramework's wire protocol) on PA9/PA10.
        private static readonly string[] s_f769Reserved = { "PA1", "PA2", "PA7", "PC1", "PC4", "PC5", "PG11", "PG13", "PG14", "PA9", "PA10" };

        /// <summary>
        /// Parses a pin token for <paramref name="mcu"/>: <c>GPIOn</c> (ESP32), <c>Pxn</c> (STM32, x = A..K),
        /// <c>sim:signal.name</c> (host). Null when the token is not a pin of this MCU.
        /// </summary>
        public static PinRef Parse(McuKind mcu, string token)
        {
            if (token == null || token.Length == 0) return null;
            if (mcu == McuKind.Host)
            {
                if (token.Length < 5 || token.Substring(0, 4) != "sim:") return null;
                string signal = token.Substring(4);
                if (!IsSignalName(signal)) return null;
                return new PinRef(token, -1, signal);
            }
            if (mcu == McuKind.Esp32)
            {
                if (token.Length < 5 || token.Length > 6 || token.Substring(0, 4) != "GPIO") return null;
                int n = TextNumbers.ParseIntOrMin(token.Substring(4));
                if (n < 0 || n > 39) return null;
                if (n == 20 || n == 24 || (n >= 28 && n <= 31)) return null; // not bonded out on ESP32
                if (token.Length == 6 && token[4] == '0') return null;
                return new PinRef(token, n, null);
            }
            // STM32F769: ports A..K, pins 0..15.
            if (token.Length < 3 || token.Length > 4 || token[0] != 'P') return null;
            char port = token[1];
            if (port < 'A' || port > 'K') return null;
            string digits = token.Substring(2);
            if (digits.Length == 2 && digits[0] == '0') return null;
            int pin = TextNumbers.ParseIntOrMin(digits);
            if (pin < 0 || pin > 15) return null;
            return new PinRef(token, (port - 'A') * 16 + pin, null);
        }

        /// <summary>Plant signal names: letters, digits, '_', '.', '-'; starts with a letter; at most 64 characters.</summary>
        public static bool IsSignalName(string s)
        {
            if (s.Length == 0 || s.Length > 64) return false;
            if (!IsLetter(s[0])) return false;
            for (int i = 1; i < s.Length; i++)
            {
                char c = s[i];
                if (!(IsLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) return false;
            }
            return s[s.Length - 1] != '.';
        }

        private static bool IsLetter(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        /// <summary>True when the MCU reserves the pin for itself (flash, debug/deploy UART, on-board Ethernet).</summary>
        public static bool IsReserved(McuKind mcu, PinRef pin)
        {
            if (mcu == McuKind.Esp32) return Contains(s_esp32Reserved, pin.Number);
            if (mcu == McuKind.Stm32F769) return ContainsText(s_f769Reserved, pin.Text);
            return false;
        }

        /// <summary>True for pins that cannot drive (ESP32 GPIO 34-39 have no output driver and no pulls).</summary>
        public static bool IsInputOnly(McuKind mcu, PinRef pin)
        {
            return mcu == McuKind.Esp32 && pin.Number >= 34 && pin.Number <= 39;
        }

        /// <summary>True for pins sampled at reset (ESP32 GPIO 0, 2, 5, 12, 15).</summary>
        public static bool IsStrapping(McuKind mcu, PinRef pin)
        {
            return mcu == McuKind.Esp32 && Contains(s_esp32Strapping, pin.Number);
        }

        /// <summary>The pin of ADC channel <paramref name="channel"/>, or null when the channel has no pin.</summary>
        public static string AdcChannelPin(McuKind mcu, int channel)
        {
            if (channel < 0) return null;
            if (mcu == McuKind.Esp32)
                return channel < s_esp32Adc1Gpio.Length ? "GPIO" + s_esp32Adc1Gpio[channel].ToString() : null;
            if (mcu == McuKind.Stm32F769)
                return channel < s_f769AdcPin.Length ? s_f769AdcPin[channel] : null;
            return null;
        }

        /// <summary>The pin of DAC channel <paramref name="channel"/>, or null.</summary>
        public static string DacChannelPin(McuKind mcu, int channel)
        {
            if (channel < 0) return null;
            if (mcu == McuKind.Esp32)
                return channel < s_esp32DacGpio.Length ? "GPIO" + s_esp32DacGpio[channel].ToString() : null;
            if (mcu == McuKind.Stm32F769)
                return channel < s_f769DacPin.Length ? s_f769DacPin[channel] : null;
            return null;
        }

        /// <summary>Pins an <c>ethernet</c> line reserves beyond the ones it names (fixed RMII pins).</summary>
        public static string[] FixedEthernetPins(McuKind mcu)
        {
            if (mcu == McuKind.Esp32)
            {
                string[] r = new string[s_esp32Rmii.Length];
                for (int i = 0; i < r.Length; i++) r[i] = "GPIO" + s_esp32Rmii[i].ToString();
                return r;
            }
            return new string[0]; // STM32F769I-DISCOVERY: already in the reserved list (the PHY is on the PCB).
        }

        /// <summary>
        /// The ESP32 nanoFramework DeviceFunction value for a name (COM2_TX, PWM3, SPI1_CLOCK, I2C1_DATA, ADC1_CH4),
        /// or -1. Values from nanoFramework.Hardware.Esp32 1.6.40.
        /// </summary>
        public static int Esp32FunctionValue(string name)
        {
            if (name.Length == 7 && name.Substring(0, 3) == "COM" && name[4] == '_')
            {
                int n = name[3] - '0';
                if (n < 1 || n > 4) return -1;
                string s = name.Substring(5);
                if (s == "TX") return 0x30000 + n * 0x100;
                if (s == "RX") return 0x30000 + n * 0x100 + 1;
                return -1;
            }
            if (name.Length == 8 && name.Substring(0, 3) == "COM" && name[4] == '_')
            {
                int n = name[3] - '0';
                if (n < 1 || n > 4) return -1;
                string s = name.Substring(5);
                if (s == "RTS") return 0x30000 + n * 0x100 + 2;
                if (s == "CTS") return 0x30000 + n * 0x100 + 3;
                return -1;
            }
            if (name.Length >= 4 && name.Length <= 5 && name.Substring(0, 3) == "PWM")
            {
                string digits = name.Substring(3);
                if (digits[0] == '0') return -1;
                int n = TextNumbers.ParseIntOrMin(digits);
                if (n < 1 || n > 16) return -1;
                return 0x40000 + n * 0x100;
            }
            if (name.Length > 5 && name.Substring(0, 3) == "SPI" && name[4] == '_')
            {
                int n = name[3] - '0';
                if (n < 1 || n > 2) return -1;
                string s = name.Substring(5);
                if (s == "MOSI") return 0x10000 + n * 0x100;
                if (s == "MISO") return 0x10000 + n * 0x100 + 1;
                if (s == "CLOCK") return 0x10000 + n * 0x100 + 2;
                return -1;
            }
            if (name.Length > 5 && name.Substring(0, 3) == "I2C" && name[4] == '_')
            {
                int n = name[3] - '0';
                if (n < 1 || n > 2) return -1;
                string s = name.Substring(5);
                if (s == "DATA") return 0x20000 + n * 0x100;
                if (s == "CLOCK") return 0x20000 + n * 0x100 + 1;
                return -1;
            }
            if (name.Length >= 9 && name.Length <= 10 && name.Substring(0, 7) == "ADC1_CH")
            {
                string digits = name.Substring(7);
                if (digits.Length == 2 && digits[0] == '0') return -1;
                int ch = TextNumbers.ParseIntOrMin(digits);
                if (ch < 0 || ch > 19) return -1;
                return 0x50100 + ch;
            }
            return -1;
        }

        private static bool Contains(int[] values, int v)
        {
            for (int i = 0; i < values.Length; i++) if (values[i] == v) return true;
            return false;
        }

        private static bool ContainsText(string[] values, string v)
        {
            for (int i = 0; i < values.Length; i++) if (values[i] == v) return true;
            return false;
        }
    }
}
