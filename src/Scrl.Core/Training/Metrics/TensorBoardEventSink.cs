using Google.Protobuf;

namespace Scrl.Core.Training.Metrics;

/// <summary>
/// Writes scalars to a TensorBoard event file <c>events.out.tfevents.&lt;unix time&gt;.&lt;host&gt;.&lt;pid&gt;</c>: TFRecord
/// framing around <c>tensorflow.Event</c> protos, encoded by hand with <see cref="CodedOutputStream"/> (the three
/// messages involved do not justify generated classes).
/// </summary>
public sealed class TensorBoardEventSink : IMetricSink
{
    // Field numbers from tensorflow/core/util/event.proto and summary.proto.
    private const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5, EventSessionLog = 6;
    private const int SummaryValue = 1, ValueTag = 1, ValueSimpleValue = 2;
    private const int SessionLogStatus = 1, SessionLogStart = 1;

    private readonly TfRecordWriter _records;
    private readonly TimeProvider _time;

    /// <param name="logDirectory">Created if missing.</param>
    /// <param name="purgeStep">
    /// When resuming from a checkpoint at this step, tells TensorBoard to discard points at or after it written by
    /// the interrupted run (a SessionLog START event), so curves don't fold back on themselves.
    /// </param>
    public TensorBoardEventSink(string logDirectory, TimeProvider? time = null, long? purgeStep = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDirectory);
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(logDirectory);
        FilePath = CreateUniqueFile(logDirectory, _time.GetUtcNow().ToUnixTimeSeconds(), out var stream);
        _records = new TfRecordWriter(stream);

        _records.Write(Event(step: 0, e => e.WriteString(EventFileVersion, "brain.Event:2")));
        if (purgeStep is { } purge)
            _records.Write(Event(purge, e => e.WriteMessage(EventSessionLog, log => log.WriteEnum(SessionLogStatus, SessionLogStart))));
        _records.Flush();
    }

    public string FilePath { get; }

    public void Write(long step, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        _records.Write(Event(step, e => e.WriteMessage(EventSummary, summary =>
        {
            foreach (var (tag, value) in scalars)
                summary.WriteMessage(SummaryValue, v =>
                {
                    v.WriteString(ValueTag, tag);
                    v.WriteFloat(ValueSimpleValue, (float)value);
                });
        })));
        _records.Flush();
    }

    public void Flush() => _records.Flush();

    public void Dispose() => _records.Dispose();

    private byte[] Event(long step, Action<ProtoWriter> body) => ProtoWriter.Encode(e =>
    {
        e.WriteDouble(EventWallTime, _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        e.WriteInt64(EventStep, step);
        body(e);
    });

    private static string CreateUniqueFile(string directory, long unixSeconds, out FileStream stream)
    {
        string stem = Path.Combine(directory, $"events.out.tfevents.{unixSeconds:D10}.{Environment.MachineName}.{Environment.ProcessId}");
        for (int attempt = 0; ; attempt++)
        {
            // A second sink in the same second and process (a quick restart) gets a suffix instead of clobbering the first.
            string path = attempt == 0 ? stem : $"{stem}.{attempt}";
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                return path;
            }
            catch (IOException) when (File.Exists(path) && attempt < 100)
            {
            }
        }
    }

    /// <summary>Field writers over <see cref="CodedOutputStream"/>; nested messages are encoded first so their length is known.</summary>
    private sealed class ProtoWriter
    {
        private readonly CodedOutputStream _out;

        private ProtoWriter(CodedOutputStream output) => _out = output;

        public static byte[] Encode(Action<ProtoWriter> body)
        {
            using var buffer = new MemoryStream();
            using (var output = new CodedOutputStream(buffer, leaveOpen: true))
                body(new ProtoWriter(output));
            return buffer.ToArray();
        }

        public void WriteDouble(int field, double value)
        {
            _out.WriteTag(field, WireFormat.WireType.Fixed64);
            _out.WriteDouble(value);
        }

        public void WriteFloat(int field, float value)
        {
            _out.WriteTag(field, WireFormat.WireType.Fixed32);
            _out.WriteFloat(value);
        }

        public void WriteInt64(int field, long value)
        {
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteInt64(value);
        }

        public void WriteEnum(int field, int value)
        {
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteEnum(value);
        }

        public void WriteString(int field, string value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(value);
        }

        public void WriteMessage(int field, Action<ProtoWriter> body)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteBytes(ByteString.CopyFrom(Encode(body)));
        }
    }
}
