namespace Tfb.Sparkplug
{
    /// <summary>
    /// Builds Sparkplug B payloads into one preallocated buffer: <see cref="BeginPayload"/>, metrics,
    /// <see cref="EndPayload"/>. No allocation per message.
    /// </summary>
    /// <remarks>
    /// seq is written last (protobuf fields may come in any order) so a message's seq is taken only when it is
    /// certain to be published. Threading: one owner (the MQTT thread).
    /// </remarks>
    public sealed class SparkplugPayloadEncoder
    {
        /// <summary>Bytes kept free for Payload.seq after the metrics filled the buffer.</summary>
        private const int TailReserveBytes = 16;

        private readonly ProtoWriter _writer;
        private readonly int _metricsLimit;

        /// <summary>Creates an encoder whose payloads hold up to <paramref name="capacityBytes"/> bytes.</summary>
        public SparkplugPayloadEncoder(int capacityBytes)
        {
            _writer = new ProtoWriter(capacityBytes);
            _metricsLimit = capacityBytes - TailReserveBytes;
        }

        /// <summary>True: data messages identify metrics by alias only (births always carry name and alias).</summary>
        public bool UseAliases { get; set; }

        /// <summary>The encoded payload is bytes 0..<see cref="Length"/>-1 of this array.</summary>
        public byte[] Buffer { get { return _writer.Buffer; } }

        /// <summary>Encoded length so far.</summary>
        public int Length { get { return _writer.Length; } }

        /// <summary>True when something did not fit; the payload must not be published.</summary>
        public bool Overflowed { get { return _writer.Overflowed; } }

        /// <summary>The underlying writer (for tests and extensions).</summary>
        public ProtoWriter Writer { get { return _writer; } }

        /// <summary>Starts a payload; <paramref name="timestampMs"/> &lt; 0 omits Payload.timestamp (NDEATH).</summary>
        public void BeginPayload(long timestampMs)
        {
            _writer.Reset();
            _writer.Limit = _metricsLimit;
            if (timestampMs >= 0)
            {
                _writer.WriteVarintField(SparkplugFields.PayloadTimestamp, (ulong)timestampMs);
            }
        }

        /// <summary>Finishes the payload with <paramref name="seq"/> (0-255), or none when negative (NDEATH).</summary>
        /// <returns>False when the payload overflowed.</returns>
        public bool EndPayload(int seq)
        {
            _writer.Limit = _writer.Buffer.Length;
            if (seq >= 0)
            {
                _writer.WriteVarintField(SparkplugFields.PayloadSeq, (ulong)seq);
            }

            return !_writer.Overflowed;
        }

        /// <summary>Writes a registered metric's current value (birth: name, alias, datatype, properties).</summary>
        /// <remarks>Hold the metric's <see cref="MetricRegistry.SyncRoot"/> when other threads may set values.</remarks>
        public void WriteMetric(SparkplugMetric metric, bool birth, long fallbackTimestampMs)
        {
            metric.Write(_writer, birth, UseAliases, fallbackTimestampMs);
        }

        /// <summary>Writes an integer-kind metric by name (e.g. bdSeq), with datatype.</summary>
        public void WriteIntegerMetric(byte[] nameUtf8, SparkplugDataType type, long timestampMs, long value)
        {
            _writer.BeginMessage(SparkplugFields.PayloadMetrics);
            _writer.WriteBytesField(SparkplugFields.MetricName, nameUtf8, 0, nameUtf8.Length);
            if (timestampMs >= 0)
            {
                _writer.WriteVarintField(SparkplugFields.MetricTimestamp, (ulong)timestampMs);
            }

            _writer.WriteVarintField(SparkplugFields.MetricDatatype, (ulong)type);
            SparkplugMetric.WriteValue(_writer, type, value, 0, null, null, 0);
            _writer.EndMessage();
        }

        /// <summary>
        /// Writes a historical (store-and-forward) value of a registered metric: is_historical = true, the
        /// recorded <paramref name="timestampMs"/>, name or alias as for data messages, datatype included.
        /// Bytes/File values are not replayed (written as is_null); a null string is written as is_null.
        /// </summary>
        /// <param name="metric">The registered metric the value belongs to (its datatype decides the field).</param>
        /// <param name="timestampMs">When the value was recorded (ms UTC).</param>
        /// <param name="isNull">True for a missing value.</param>
        /// <param name="integer">Integer/Boolean/DateTime value.</param>
        /// <param name="real">Float/Double value.</param>
        /// <param name="text">String value.</param>
        public void WriteHistoricalMetric(SparkplugMetric metric, long timestampMs, bool isNull, long integer, double real, string text)
        {
            _writer.BeginMessage(SparkplugFields.PayloadMetrics);
            if (UseAliases)
            {
                _writer.WriteVarintField(SparkplugFields.MetricAlias, metric.Alias);
            }
            else
            {
                _writer.WriteBytesField(SparkplugFields.MetricName, metric.NameUtf8, 0, metric.NameUtf8.Length);
            }

            _writer.WriteVarintField(SparkplugFields.MetricTimestamp, (ulong)timestampMs);
            _writer.WriteVarintField(SparkplugFields.MetricDatatype, (ulong)metric.DataType);
            _writer.WriteBoolField(SparkplugFields.MetricIsHistorical, true);
            if (isNull || text == null && SparkplugTypes.KindOf(metric.DataType) == SparkplugTypes.KindString
                || SparkplugTypes.KindOf(metric.DataType) == SparkplugTypes.KindBytes)
            {
                _writer.WriteBoolField(SparkplugFields.MetricIsNull, true);
            }
            else
            {
                SparkplugMetric.WriteValue(_writer, metric.DataType, integer, real, text, null, 0);
            }

            _writer.EndMessage();
        }

        /// <summary>Current write position (to undo a metric that did not fit, see <see cref="RewindTo"/>).</summary>
        public int Mark()
        {
            return _writer.Length;
        }

        /// <summary>Drops everything after <paramref name="mark"/> and clears an overflow (top level only).</summary>
        public void RewindTo(int mark)
        {
            _writer.Rewind(mark);
        }
    }
}
