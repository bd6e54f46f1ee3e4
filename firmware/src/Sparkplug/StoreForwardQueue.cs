using Tfb.Codes;
using Tfb.Logging;
using Tfb.Storage;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// Store-and-forward for data that must not be lost (sheet-test results, alarms, events, program
    /// completions): producers append <see cref="StoreForwardRecord"/>s to a <see cref="PersistentQueue"/>; after
    /// every (re)birth the <see cref="EdgeNodeSession"/> replays them oldest first as NDATA/DDATA with
    /// is_historical metrics at QoS 1, one in flight, and an entry is deleted only on its PUBACK.
    /// </summary>
    /// <remarks>
    /// Duplicates: each replayed payload carries the metric <see cref="SeqMetricName"/> (UInt32, historical,
    /// same timestamp) = the record sequence, consecutive and persistent; a record whose PUBACK was lost, or
    /// whose deletion was cut by a power loss, is sent again with the same value, so a consumer drops repeats
    /// by (edge node, device, SF/Seq). Back-pressure: <see cref="ProducersMustPause"/> turns true at the queue's
    /// NearFull level (AlarmCode.StoreForwardNearFull raised) and false again 10 points below it; a full queue
    /// refuses appends with Busy and never drops. A record that can never be delivered (its device is no longer
    /// declared after a firmware change, or an unknown format version) is removed and counted in
    /// <see cref="Undeliverable"/>. Threading: every member locks; producers may append from any thread but
    /// the scan; the session calls the <see cref="IReplaySource"/> members on the Poll thread.
    /// </remarks>
    public sealed class StoreForwardQueue : IReplaySource
    {
        /// <summary>Record-sequence metric declared on the node and on every device (UInt32).</summary>
        public const string SeqMetricName = "SF/Seq";

        /// <summary>Points below the NearFull level at which producers may resume (hysteresis).</summary>
        public const int ResumeHysteresisPercent = 10;

        private readonly object _sync = new object();
        private readonly PersistentQueue _queue;
        private readonly EdgeNodeSession _session;
        private readonly AlarmLog _alarms;
        private readonly byte[] _replay;
        private readonly SparkplugMetric _nodeSeqMetric;
        private readonly SparkplugMetric[] _deviceSeqMetrics;
        private bool _paused;
        private bool _inFlight;
        private uint _inFlightSeq;
        private int _undeliverable;
        private int _delivered;

        /// <summary>
        /// Binds an opened queue to a session: declares <see cref="SeqMetricName"/> on the node and on every
        /// device added so far. Construct after the last <see cref="EdgeNodeSession.AddDevice"/>, before
        /// <see cref="EdgeNodeSession.Start"/>, then pass it to <see cref="EdgeNodeSession.SetReplaySource"/>.
        /// </summary>
        /// <param name="queue">The persistent queue, <see cref="PersistentQueue.Open"/> already called.</param>
        /// <param name="session">The edge node whose metrics the records name.</param>
        /// <param name="maxRecordBytes">Largest record (the queue's maxPayloadBytes).</param>
        /// <param name="alarms">Where StoreForwardNearFull is raised and reset, or null.</param>
        public StoreForwardQueue(PersistentQueue queue, EdgeNodeSession session, int maxRecordBytes, AlarmLog alarms)
        {
            _queue = queue;
            _session = session;
            _alarms = alarms;
            _replay = new byte[maxRecordBytes];
            _nodeSeqMetric = Declare(session.NodeMetrics);
            _deviceSeqMetrics = new SparkplugMetric[session.DeviceCount];
            bool ok = _nodeSeqMetric != null;
            for (int d = 0; d < session.DeviceCount; d++)
            {
                _deviceSeqMetrics[d] = Declare(session.Device(d).Metrics);
                ok &= _deviceSeqMetrics[d] != null;
            }

            IsBound = ok;
            lock (_sync)
            {
                UpdatePause();
            }
        }

        /// <summary>False when <see cref="SeqMetricName"/> could not be declared somewhere (registry full or frozen): a configuration error.</summary>
        public bool IsBound { get; private set; }

        /// <summary>True while producers must not start new work whose results need storing (queue near full).</summary>
        public bool ProducersMustPause { get { lock (_sync) { return _paused; } } }

        /// <summary>Records waiting (including one in flight).</summary>
        public int Count { get { lock (_sync) { return _queue.Count; } } }

        /// <summary>Records removed because they can never be delivered.</summary>
        public int Undeliverable { get { lock (_sync) { return _undeliverable; } } }

        /// <summary>Records delivered (PUBACK) and removed since construction.</summary>
        public int Delivered { get { lock (_sync) { return _delivered; } } }

        /// <summary>Appends a record durably (when this returns true it survives a power loss).</summary>
        /// <param name="record">A record built with <see cref="StoreForwardRecord"/>, at least one metric.</param>
        /// <param name="sequence">Its record sequence (the value SF/Seq will carry).</param>
        /// <param name="error">BadArgument (empty, invalid or oversize record), Busy (queue full: keep the
        /// data and retry after deliveries), StorageFailed.</param>
        public bool TryAppend(StoreForwardRecord record, out uint sequence, out ErrorCode error)
        {
            sequence = 0;
            if (record == null || record.Invalid || record.MetricCount == 0 || record.Length > _replay.Length)
            {
                error = ErrorCode.BadArgument;
                return false;
            }

            lock (_sync)
            {
                bool ok = _queue.TryAppend(record.Buffer, 0, record.Length, out sequence, out error);
                UpdatePause();
                return ok;
            }
        }

        /// <inheritdoc />
        public bool HasPending { get { lock (_sync) { return !_inFlight && _queue.Count > 0; } } }

        /// <inheritdoc />
        public int WriteNext(SparkplugPayloadEncoder encoder, out SparkplugDevice device)
        {
            device = null;
            lock (_sync)
            {
                for (;;)
                {
                    int length;
                    uint seq;
                    if (_inFlight || !_queue.TryPeekOldest(_replay, out length, out seq))
                    {
                        return -1;
                    }

                    SparkplugMetric seqMetric;
                    if (Write(encoder, length, out device, out seqMetric, out long timestampMs))
                    {
                        encoder.WriteHistoricalMetric(seqMetric, timestampMs, false, seq, 0, null);
                        _inFlight = true;
                        _inFlightSeq = seq;
                        return (int)(seq & 0x7FFFFFFF);
                    }

                    // Never deliverable: remove it rather than block everything behind it.
                    _undeliverable++;
                    if (!_queue.RemoveOldest(seq))
                    {
                        return -1;
                    }

                    UpdatePause();
                }
            }
        }

        /// <inheritdoc />
        public void OnReplayCompleted(int entryId, bool delivered)
        {
            lock (_sync)
            {
                if (!_inFlight || entryId != (int)(_inFlightSeq & 0x7FFFFFFF))
                {
                    return;
                }

                _inFlight = false;
                if (delivered && _queue.RemoveOldest(_inFlightSeq))
                {
                    _delivered++;
                    UpdatePause();
                }
            }
        }

        /// <summary>Decodes the record in the replay buffer into historical metrics; false when it cannot be.</summary>
        private bool Write(SparkplugPayloadEncoder encoder, int length, out SparkplugDevice device, out SparkplugMetric seqMetric, out long timestampMs)
        {
            device = null;
            seqMetric = null;
            timestampMs = 0;
            byte[] b = _replay;
            if (length < 11 || b[0] != StoreForwardRecord.FormatVersion)
            {
                return false;
            }

            int p = 1;
            int idLength = b[p++];
            MetricRegistry registry = _session.NodeMetrics;
            seqMetric = _nodeSeqMetric;
            if (idLength > 0)
            {
                if (p + idLength > length)
                {
                    return false;
                }

                for (int d = 0; d < _deviceSeqMetrics.Length && device == null; d++)
                {
                    SparkplugDevice candidate = _session.Device(d);
                    if (Utf8.ByteCount(candidate.Id) == idLength && IdEquals(candidate.Id, b, p, idLength))
                    {
                        device = candidate;
                        seqMetric = _deviceSeqMetrics[d];
                    }
                }

                if (device == null)
                {
                    return false;
                }

                registry = device.Metrics;
                p += idLength;
            }

            if (p + 9 > length || seqMetric == null)
            {
                return false;
            }

            timestampMs = LittleEndian.ReadInt64(b, p);
            p += 8;
            int count = b[p++];
            for (int i = 0; i < count; i++)
            {
                if (p + 1 > length)
                {
                    return false;
                }

                int nameLength = b[p++];
                if (p + nameLength + 2 > length)
                {
                    return false;
                }

                SparkplugMetric metric = registry.FindUtf8(b, p, nameLength);
                p += nameLength;
                SparkplugDataType type = (SparkplugDataType)b[p++];
                bool isNull = (b[p++] & 1) != 0;
                long integer = 0;
                double real = 0;
                string text = null;
                if (!isNull)
                {
                    if (SparkplugTypes.KindOf(type) == SparkplugTypes.KindString)
                    {
                        if (p + 2 > length)
                        {
                            return false;
                        }

                        int n = LittleEndian.ReadUInt16(b, p);
                        p += 2;
                        if (p + n > length || !Utf8.TryDecode(b, p, n, out text))
                        {
                            return false;
                        }

                        p += n;
                    }
                    else
                    {
                        if (p + 8 > length)
                        {
                            return false;
                        }

                        integer = LittleEndian.ReadInt64(b, p);
                        real = System.BitConverter.Int64BitsToDouble(integer);
                        p += 8;
                    }
                }

                // A metric renamed or retyped by a firmware update is left out; the rest of the record still goes.
                if (metric != null && metric.DataType == type)
                {
                    encoder.WriteHistoricalMetric(metric, timestampMs, isNull, integer, real, text);
                }
            }

            return true;
        }

        private static bool IdEquals(string id, byte[] b, int offset, int count)
        {
            string stored;
            return Utf8.TryDecode(b, offset, count, out stored) && stored == id;
        }

        private static SparkplugMetric Declare(MetricRegistry registry)
        {
            SparkplugMetric metric = registry.Find(SeqMetricName);
            if (metric == null)
            {
                metric = registry.Add(SeqMetricName, SparkplugDataType.UInt32, 0, 0);
            }

            if (metric != null)
            {
                metric.SetNull();
            }

            return metric;
        }

        private void UpdatePause()
        {
            bool pause;
            if (_queue.NearFull)
            {
                pause = true;
            }
            else
            {
                int resumePercent = _queue.NearFullPercent - ResumeHysteresisPercent;
                pause = _paused && (long)_queue.UsedBytes * 100 >= (long)_queue.CapacityBytes * resumePercent;
            }

            if (pause == _paused)
            {
                return;
            }

            _paused = pause;
            if (_alarms != null)
            {
                if (pause)
                {
                    _alarms.Raise((int)AlarmCode.StoreForwardNearFull, _queue.Count);
                }
                else
                {
                    _alarms.Reset((int)AlarmCode.StoreForwardNearFull);
                }
            }
        }
    }
}
