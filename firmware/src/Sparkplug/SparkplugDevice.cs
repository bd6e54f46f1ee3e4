using System.Threading;

namespace Tfb.Sparkplug
{
    /// <summary>A Sparkplug device of the edge node (one station module): its id, metrics and presence.</summary>
    public sealed class SparkplugDevice
    {
        private int _online = 1;

        internal SparkplugDevice(string id, MetricRegistry metrics)
        {
            Id = id;
            Metrics = metrics;
        }

        /// <summary>Device id (topic element).</summary>
        public readonly string Id;

        /// <summary>The device's metrics; declare them before the session starts.</summary>
        public readonly MetricRegistry Metrics;

        /// <summary>True (default) when the module is present; the session publishes DBIRTH/DDEATH on changes.</summary>
        public bool Online { get { return Interlocked.CompareExchange(ref _online, 0, 0) != 0; } }

        /// <summary>Reports the module present or gone; safe from any thread, no allocation.</summary>
        public void SetOnline(bool online)
        {
            Interlocked.Exchange(ref _online, online ? 1 : 0);
        }

        /// <summary>True while the current session has a DBIRTH out for this device (Poll thread only).</summary>
        internal bool Born;

        internal string BirthTopic;
        internal string DeathTopic;
        internal string DataTopic;
        internal string CommandTopic;
    }
}
