using System;
using Tfb.Codes;
using Tfb.Logging;

namespace Tfb.Scan
{
    /// <summary>
    /// The bounded, allocation-free way from T2 threads (console, MQTT, scenarios) into the scan: a fixed set of
    /// preallocated <see cref="ScanCommand"/> records in a FIFO, consumed at the start of the next scan and
    /// dispatched by code range to the registered <see cref="IScanCommandHandler"/>s.
    /// </summary>
    /// <remarks>
    /// Threading: any number of producers (<see cref="TrySubmit"/>, <see cref="TryPost"/>, <see cref="TryWait"/>);
    /// one consumer, the scan thread. A single short lock guards the indices and record states; it is held for a
    /// few field writes only, never across a handler call or a wait, so the scan never waits on it for long.
    /// A record stays in use from submission until its reply is collected (or, for posts and abandoned waits,
    /// until the scan has run it): more outstanding commands than <see cref="Capacity"/> are refused with
    /// <see cref="ErrorCode.Busy"/>, counted in <see cref="FullCount"/> and raised as
    /// <see cref="AlarmCode.CommandQueueFull"/> (detail: the refused source id).
    /// Order: commands run in the order their submissions took the lock.
    /// </remarks>
    public sealed class ScanCommandQueue
    {
        /// <summary>Largest capacity (the ticket keeps the record index in 8 bits).</summary>
        public const int MaxCapacity = 256;

        private const int TicketSlotBits = 8;
        private const int TicketSlotMask = 0xFF;
        private const int GenerationMask = 0x7FFFFF;

        private readonly object _sync = new object();
        private readonly ScanCommand[] _slots;
        private readonly bool[] _withdrawn;
        private readonly int[] _fifo;
        private readonly int[] _handlerFirst;
        private readonly int[] _handlerLast;
        private readonly IScanCommandHandler[] _handlers;
        private readonly AlarmLog _alarms;
        private int _handlerCount;
        private int _head;
        private int _count;
        private int _inUse;
        private int _freeCursor;
        private int _generation;
        private int _fullCount;
        private int _executedCount;
        private int _rejectedCount;

        internal ScanCommandQueue(int capacity, int maxHandlers, AlarmLog alarms)
        {
            if (capacity < 1 || capacity > MaxCapacity) throw new ArgumentOutOfRangeException("capacity");
            _slots = new ScanCommand[capacity];
            for (int i = 0; i < capacity; i++) _slots[i] = new ScanCommand();
            _withdrawn = new bool[capacity];
            _fifo = new int[capacity];
            _handlerFirst = new int[maxHandlers];
            _handlerLast = new int[maxHandlers];
            _handlers = new IScanCommandHandler[maxHandlers];
            _alarms = alarms;
        }

        /// <summary>Command records; the most commands that can be outstanding at once.</summary>
        public int Capacity { get { return _slots.Length; } }

        /// <summary>Commands waiting for the next scan.</summary>
        public int Pending { get { lock (_sync) { return _count; } } }

        /// <summary>True when every record is in use (the next submission gets Busy).</summary>
        public bool IsFull { get { lock (_sync) { return _inUse == _slots.Length; } } }

        /// <summary>Submissions refused because every record was in use (since boot).</summary>
        public int FullCount { get { lock (_sync) { return _fullCount; } } }

        /// <summary>Commands the scan has run (applied or refused by their handler), since boot.</summary>
        public int ExecutedCount { get { lock (_sync) { return _executedCount; } } }

        /// <summary>Commands the scan ran whose verdict was not <see cref="ScanCommand.Ok"/>, since boot.</summary>
        public int RejectedCount { get { lock (_sync) { return _rejectedCount; } } }

        /// <summary>
        /// Queues a command whose verdict the caller will collect with <see cref="TryWait"/> (which must be called
        /// once per accepted ticket, or the record stays in use).
        /// </summary>
        /// <param name="code">Command code (selects the handler).</param>
        /// <param name="sourceId">Sender id (console session, MQTT, scenario).</param>
        /// <param name="arg0">Integer argument 0.</param>
        /// <param name="arg1">Integer argument 1.</param>
        /// <param name="value0">Real argument 0.</param>
        /// <param name="value1">Real argument 1.</param>
        /// <param name="ticket">The handle for <see cref="TryWait"/>; 0 when refused.</param>
        /// <returns>False when the queue is full: answer the sender with <see cref="ErrorCode.Busy"/>.</returns>
        public bool TrySubmit(int code, int sourceId, int arg0, int arg1, double value0, double value1, out int ticket)
        {
            return Enqueue(code, sourceId, arg0, arg1, value0, value1, true, out ticket);
        }

        /// <summary>Queues a command nobody waits for (fire and forget); the scan frees the record after running it.</summary>
        /// <returns>False when the queue is full: <see cref="ErrorCode.Busy"/>.</returns>
        public bool TryPost(int code, int sourceId, int arg0, int arg1, double value0, double value1)
        {
            int ticket;
            return Enqueue(code, sourceId, arg0, arg1, value0, value1, false, out ticket);
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for the scan's verdict on a submitted command, then releases
        /// the record. Call from the submitting thread, once per ticket; never from the scan thread.
        /// </summary>
        /// <param name="ticket">From <see cref="TrySubmit"/>.</param>
        /// <param name="timeoutMs">Wait limit, ms (0 = only look).</param>
        /// <param name="reply">The verdict; on a timeout <see cref="ScanCommandReply.Status"/> says whether the
        /// command was withdrawn (never runs) or may have run.</param>
        /// <returns>True when the scan completed the command (<see cref="ScanReplyStatus.Completed"/>).</returns>
        public bool TryWait(int ticket, int timeoutMs, out ScanCommandReply reply)
        {
            reply = new ScanCommandReply();
            int slot = ticket & TicketSlotMask;
            int generation = ticket >> TicketSlotBits;
            if (ticket <= 0 || slot >= _slots.Length)
            {
                reply.Status = ScanReplyStatus.InvalidTicket;
                return false;
            }
            ScanCommand c = _slots[slot];
            lock (_sync)
            {
                if (!IsOutstanding(c, slot, generation))
                {
                    reply.Status = ScanReplyStatus.InvalidTicket;
                    return false;
                }
            }
            c.DoneEvent.WaitOne(timeoutMs < 0 ? 0 : timeoutMs, false);
            lock (_sync)
            {
                if (!IsOutstanding(c, slot, generation))
                {
                    reply.Status = ScanReplyStatus.InvalidTicket;
                    return false;
                }
                if (c.State == ScanCommand.StateDone)
                {
                    reply.Status = ScanReplyStatus.Completed;
                    reply.Error = c.Error;
                    reply.ResultInt = c.ResultInt;
                    reply.ResultDouble = c.ResultDouble;
                    reply.ScanNumber = c.AppliedScan;
                    Free(c, slot);
                    return true;
                }
                if (c.State == ScanCommand.StateQueued)
                {
                    // Still in the FIFO: the scan skips and frees it. Freeing it here would let the record be
                    // reused while its index is still queued.
                    _withdrawn[slot] = true;
                    c.WantsReply = false;
                    reply.Status = ScanReplyStatus.Withdrawn;
                    return false;
                }
                c.Abandoned = true;
                c.WantsReply = false;
                reply.Status = ScanReplyStatus.TimedOut;
                return false;
            }
        }

        /// <summary>Scan thread only: <see cref="ExecutedCount"/> without the lock (only the scan writes it).</summary>
        internal int ExecutedCountScanSide { get { return _executedCount; } }

        /// <summary><see cref="FullCount"/> without the lock (an int read is atomic; may lag one submission).</summary>
        internal int FullCountRelaxed { get { return System.Threading.Interlocked.CompareExchange(ref _fullCount, 0, 0); } }

        internal void AddHandler(int firstCode, int lastCode, IScanCommandHandler handler)
        {
            if (handler == null) throw new ArgumentNullException("handler");
            if (lastCode < firstCode) throw new ArgumentOutOfRangeException("lastCode");
            if (_handlerCount == _handlers.Length) throw new InvalidOperationException("command handler table full");
            for (int i = 0; i < _handlerCount; i++)
            {
                if (firstCode <= _handlerLast[i] && lastCode >= _handlerFirst[i])
                {
                    throw new InvalidOperationException("command code range overlaps a registered handler");
                }
            }
            _handlerFirst[_handlerCount] = firstCode;
            _handlerLast[_handlerCount] = lastCode;
            _handlers[_handlerCount] = handler;
            _handlerCount++;
        }

        /// <summary>Runs the commands queued before this call (scan thread); later ones wait for the next scan.</summary>
        /// <returns>Commands run.</returns>
        internal int Drain(ScanContext ctx)
        {
            int n;
            lock (_sync) { n = _count; }
            int ran = 0;
            for (int k = 0; k < n; k++)
            {
                ScanCommand c;
                int slot;
                lock (_sync)
                {
                    slot = _fifo[_head];
                    _head = _head + 1 == _fifo.Length ? 0 : _head + 1;
                    _count--;
                    c = _slots[slot];
                    if (_withdrawn[slot])
                    {
                        Free(c, slot);
                        continue;
                    }
                    c.State = ScanCommand.StateRunning;
                }
                c.ResultInt = 0;
                c.ResultDouble = 0.0;
                int error = Dispatch(c, ctx);
                ran++;
                bool signal = false;
                lock (_sync)
                {
                    c.Error = error;
                    c.AppliedScan = ctx.ScanNumber;
                    _executedCount++;
                    if (error != ScanCommand.Ok) _rejectedCount++;
                    if (c.WantsReply && !c.Abandoned)
                    {
                        c.State = ScanCommand.StateDone;
                        signal = true;
                    }
                    else
                    {
                        Free(c, slot);
                    }
                }
                if (signal) c.DoneEvent.Set();
            }
            return ran;
        }

        private int Dispatch(ScanCommand c, ScanContext ctx)
        {
            int code = c.Code;
            for (int i = 0; i < _handlerCount; i++)
            {
                if (code >= _handlerFirst[i] && code <= _handlerLast[i])
                {
                    try
                    {
                        return _handlers[i].Execute(c, ctx);
                    }
                    catch (Exception)
                    {
                        return (int)ErrorCode.InternalError;
                    }
                }
            }
            return (int)ErrorCode.UnknownCommand;
        }

        private bool Enqueue(int code, int sourceId, int arg0, int arg1, double value0, double value1, bool wantsReply, out int ticket)
        {
            ticket = 0;
            int slot = -1;
            lock (_sync)
            {
                if (_inUse < _slots.Length)
                {
                    for (int k = 0; k < _slots.Length; k++)
                    {
                        int i = (_freeCursor + k) % _slots.Length;
                        if (_slots[i].State == ScanCommand.StateFree)
                        {
                            slot = i;
                            break;
                        }
                    }
                }
                if (slot < 0)
                {
                    _fullCount++;
                }
                else
                {
                    _freeCursor = slot + 1 == _slots.Length ? 0 : slot + 1;
                    ScanCommand c = _slots[slot];
                    _generation = (_generation + 1) & GenerationMask;
                    if (_generation == 0) _generation = 1;
                    c.Generation = _generation;
                    c.Code = code;
                    c.SourceId = sourceId;
                    c.Arg0 = arg0;
                    c.Arg1 = arg1;
                    c.Value0 = value0;
                    c.Value1 = value1;
                    c.WantsReply = wantsReply;
                    c.Abandoned = false;
                    c.Error = 0;
                    c.State = ScanCommand.StateQueued;
                    _withdrawn[slot] = false;
                    c.DoneEvent.Reset();
                    int tail = _head + _count;
                    if (tail >= _fifo.Length) tail -= _fifo.Length;
                    _fifo[tail] = slot;
                    _count++;
                    _inUse++;
                    ticket = (_generation << TicketSlotBits) | slot;
                }
            }
            if (slot < 0)
            {
                if (_alarms != null) _alarms.Raise((int)AlarmCode.CommandQueueFull, sourceId);
                return false;
            }
            return true;
        }

        private bool IsOutstanding(ScanCommand c, int slot, int generation)
        {
            return c.Generation == generation && c.State != ScanCommand.StateFree && c.WantsReply && !_withdrawn[slot];
        }

        private void Free(ScanCommand c, int slot)
        {
            c.State = ScanCommand.StateFree;
            c.WantsReply = false;
            c.Abandoned = false;
            _withdrawn[slot] = false;
            _inUse--;
        }
    }
}
