using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training.Metrics;

namespace Scrl.Core.Tests.Metrics;

public class TensorBoardEventSinkTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

    [Fact]
    public void Crc32C_StandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Write_ProducesTfRecordsOfEvents_ReadableInCSharp()
    {
        using var temp = new TempDirectory();
        string file = WriteSample(temp.Path, purgeStep: null);

        Assert.StartsWith($"events.out.tfevents.{Start.ToUnixTimeSeconds()}.", Path.GetFileName(file));
        var events = TfRecordReader.ReadAll(file).Select(ParseEvent).ToList();

        Assert.Equal(3, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(1_700_000_000.25, events[0].WallTime);
        Assert.Equal(10L, events[1].Step);
        Assert.Equal([("loss", 0.5f), ("lr", 0.125f)], events[1].Values);
        Assert.Equal(20L, events[2].Step);
        Assert.Equal(1_700_000_001.25, events[2].WallTime);
        Assert.True(float.IsNaN(events[2].Values.Single().Value));
    }

    [Fact]
    public void Create_WithPurgeStep_WritesSessionStartAtThatStep()
    {
        using var temp = new TempDirectory();
        var events = TfRecordReader.ReadAll(WriteSample(temp.Path, purgeStep: 15)).Select(ParseEvent).ToList();
        Assert.Equal((15L, 1), (events[1].Step, events[1].SessionStatus));
    }

    [Fact]
    public void Write_FileVerifiesWithIndependentPythonParser()
    {
        using var temp = new TempDirectory();
        string file = WriteSample(temp.Path, purgeStep: null);

        string output = RunPython(PythonTfRecordCheck, file);

        Assert.Equal(["0 file_version brain.Event:2", "10 loss 0.5", "10 lr 0.125", "20 loss nan"],
                     output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string WriteSample(string directory, long? purgeStep)
    {
        var clock = new FixedTimeProvider(Start);
        using var sink = new TensorBoardEventSink(directory, clock, purgeStep);
        sink.Write(10, new Dictionary<string, double> { ["loss"] = 0.5, ["lr"] = 0.125 });
        clock.Now = Start.AddSeconds(1);
        sink.Write(20, new Dictionary<string, double> { ["loss"] = double.NaN });
        return sink.FilePath;
    }

    private sealed record ParsedEvent(double WallTime, long Step, string? FileVersion, List<(string Tag, float Value)> Values, int? SessionStatus);

    /// <summary>Decodes the Event fields the sink writes (event.proto / summary.proto field numbers).</summary>
    private static ParsedEvent ParseEvent(byte[] bytes)
    {
        var e = new ParsedEvent(0, 0, null, [], null);
        var input = new CodedInputStream(bytes);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: e = e with { WallTime = input.ReadDouble() }; break;
                case 2: e = e with { Step = input.ReadInt64() }; break;
                case 3: e = e with { FileVersion = input.ReadString() }; break;
                case 5:
                    var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (summary.ReadTag() != 0)
                    {
                        var value = new CodedInputStream(summary.ReadBytes().ToByteArray());
                        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited), value.ReadTag());
                        string name = value.ReadString();
                        Assert.Equal(WireFormat.MakeTag(2, WireFormat.WireType.Fixed32), value.ReadTag());
                        e.Values.Add((name, value.ReadFloat()));
                    }
                    break;
                case 6:
                    var log = new CodedInputStream(input.ReadBytes().ToByteArray());
                    Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.Varint), log.ReadTag());
                    e = e with { SessionStatus = log.ReadEnum() };
                    break;
                default: Assert.Fail($"unexpected Event field {WireFormat.GetTagFieldNumber(tag)}"); break;
            }
        }
        return e;
    }

    /// <summary>Runs <c>python3</c> from PATH; its absence fails the test, because the cross-check is the point.</summary>
    private static string RunPython(string script, string argument)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-");
        info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"This test needs python3 (standard library only) on PATH to cross-check the TFRecord file: {e.Message}");
            throw;
        }
        using (process)
        {
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30_000), "python3 did not finish within 30 s");
            Assert.True(process.ExitCode == 0, $"python3 check failed ({process.ExitCode}): {stderr}");
            return stdout.Replace("\r", "", StringComparison.Ordinal);
        }
    }

    // A stdlib-only reader: TFRecord framing with masked CRC-32C checks, and the few protobuf fields involved.
    private const string PythonTfRecordCheck = """
        import struct, sys, math

        def crc32c(data):
            crc = 0xFFFFFFFF
            for b in data:
                crc ^= b
                for _ in range(8):
                    crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
            return crc ^ 0xFFFFFFFF

        def masked(data):
            c = crc32c(data)
            return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

        def varint(buf, i):
            shift = value = 0
            while True:
                b = buf[i]; i += 1
                value |= (b & 0x7F) << shift; shift += 7
                if not b & 0x80:
                    return value, i

        def fields(buf):
            i = 0
            while i < len(buf):
                key, i = varint(buf, i)
                number, wire = key >> 3, key & 7
                if wire == 0:
                    value, i = varint(buf, i)
                elif wire == 1:
                    value = buf[i:i + 8]; i += 8
                elif wire == 5:
                    value = buf[i:i + 4]; i += 4
                elif wire == 2:
                    n, i = varint(buf, i); value = buf[i:i + n]; i += n
                else:
                    raise ValueError("wire type %d" % wire)
                yield number, value

        data = open(sys.argv[1], "rb").read()
        at = 0
        while at < len(data):
            header = data[at:at + 8]
            (length,) = struct.unpack("<Q", header)
            assert struct.unpack("<I", data[at + 8:at + 12])[0] == masked(header), "length crc"
            payload = data[at + 12:at + 12 + length]
            assert struct.unpack("<I", data[at + 12 + length:at + 16 + length])[0] == masked(payload), "data crc"
            at += 16 + length
            event = dict((n, v) for n, v in fields(payload) if n != 5)
            step = event.get(2, 0)
            if 3 in event:
                print(step, "file_version", event[3].decode())
            for n, summary in fields(payload):
                if n != 5:
                    continue
                for _, value in fields(summary):
                    v = dict(fields(value))
                    x = struct.unpack("<f", v[2])[0]
                    print(step, v[1].decode(), "nan" if math.isnan(x) else repr(x))
        assert at == len(data), "trailing bytes"
        """;
}
