using System.Reflection;

[assembly: AssemblyTitle("Tfb.Boards.Nano")]
[assembly: AssemblyProduct("TfbFirmware")]
[assembly: AssemblyVersion("0.1.0.0")]
