using System.Reflection;

[assembly: AssemblyTitle("Tfb.Firmware")]
[assembly: AssemblyProduct("TfbFirmware")]
[assembly: AssemblyVersion("0.1.0.0")]
