namespace Tfb.Boards.Io
{
    /// <summary>
    /// Maps nanoFramework.M2Mqtt message ids of in-flight QoS 1 publishes to IMqttSession tokens, so the
    /// client's "published / not published" event (it gives up after 3 retries inside a live connection and
    /// reports IsPublished = false) and a connection loss both become
    /// IMqttSessionHandler.OnPublishCompleted(token, delivered) — a not-delivered publish stays in the
    /// store-and-forward queue. Bounded: a full table refuses the publish (back-pressure) instead of growing.
    /// </summary>
    /// <remarks>
    /// Threading: the MQTT background thread adds, the client's event thread completes; every member locks
    /// the tracker. Publish + Add must run under <see cref="SyncRoot"/> so an early completion event waits
    /// for its registration. Allocation-free after construction.
    /// </remarks>
    public sealed class PublishTracker
    {
        private readonly object _lock = new object();
        private readonly int[] _messageIds;
        private readonly int[] _tokens;
        private int _count;
        private int _nextToken = 1;

        /// <summary>Creates a tracker for at most <paramref name="capacity"/> publishes in flight.</summary>
        public PublishTracker(int capacity)
        {
            if (capacity < 1) throw new System.ArgumentOutOfRangeException("capacity");
            _messageIds = new int[capacity];
            _tokens = new int[capacity];
        }

        /// <summary>Lock to hold across the client's Publish call and <see cref="Add"/>.</summary>
        public object SyncRoot { get { return _lock; } }

        /// <summary>Publishes in flight.</summary>
        public int Count { get { lock (_lock) { return _count; } } }

        /// <summary>True when another publish can be tracked.</summary>
        public bool HasRoom { get { lock (_lock) { return _count < _messageIds.Length; } } }

        /// <summary>Registers a QoS 1 publish the client accepted under <paramref name="messageId"/>.</summary>
        /// <returns>The positive token for the caller; -1 when full or the id is already in flight.</returns>
        public int Add(ushort messageId)
        {
            lock (_lock)
            {
                if (_count >= _messageIds.Length) return -1;
                for (int i = 0; i < _count; i++) if (_messageIds[i] == messageId) return -1;
                int token = _nextToken;
                _nextToken = _nextToken == int.MaxValue ? 1 : _nextToken + 1;
                _messageIds[_count] = messageId;
                _tokens[_count] = token;
                _count++;
                return token;
            }
        }

        /// <summary>Removes the publish with <paramref name="messageId"/> (completion event).</summary>
        /// <returns>Its token, or -1 when the id is not in flight (a QoS 0 publish, or already failed by a disconnect).</returns>
        public int Complete(ushort messageId)
        {
            lock (_lock)
            {
                for (int i = 0; i < _count; i++)
                {
                    if (_messageIds[i] != messageId) continue;
                    int token = _tokens[i];
                    _count--;
                    _messageIds[i] = _messageIds[_count];
                    _tokens[i] = _tokens[_count];
                    return token;
                }
                return -1;
            }
        }

        /// <summary>Removes every publish in flight (connection lost: none of them is confirmed).</summary>
        /// <param name="tokens">Receives the tokens; must hold the capacity.</param>
        /// <returns>How many tokens were written.</returns>
        public int DrainAll(int[] tokens)
        {
            lock (_lock)
            {
                int n = _count;
                for (int i = 0; i < n; i++) tokens[i] = _tokens[i];
                _count = 0;
                return n;
            }
        }
    }
}
