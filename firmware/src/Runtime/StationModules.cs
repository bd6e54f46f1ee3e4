using Tfb.Boards;

namespace Tfb.Runtime
{
    /// <summary>
    /// Creates the station modules a board definition's <c>station</c> lines name. Every board (real image or
    /// virtual line) calls <see cref="AddAll"/> between constructing its <see cref="BoardRuntime"/> and Boot.
    /// </summary>
    public static class StationModules
    {
        /// <summary>Adds one module per station the board runs, in board-file order.</summary>
        /// <exception cref="System.NotSupportedException">A station has no module in this firmware.</exception>
        public static void AddAll(BoardRuntime runtime)
        {
            StationKind[] stations = runtime.Board.Stations;
            for (int i = 0; i < stations.Length; i++)
            {
                IStationModule module = Create(stations[i]);
                if (module != null) runtime.AddModule(module);
            }
        }

        /// <summary>A new module for <paramref name="station"/>, or null while that station has none.</summary>
        public static IStationModule Create(StationKind station)
        {
            switch (station)
            {
                // Web transport (firmware/src/Stations/Web).
                case StationKind.WebTransport:
                    return new Tfb.Stations.Web.WebTransportModule();

                // Sputter (firmware/src/Stations/Sputter).
                case StationKind.Sputter:
                    return new Tfb.Stations.Sputter.SputterModule();

                // Anneal (firmware/src/Stations/Anneal).
                case StationKind.Anneal:
                    return new Tfb.Stations.Anneal.AnnealModule();

                // Sheet test (firmware/src/Stations/SheetTest).
                case StationKind.SheetTest:
                    return new Tfb.Stations.SheetTest.SheetTestModule();

                default:
                    throw new System.NotSupportedException("station");
            }
        }
    }
}
