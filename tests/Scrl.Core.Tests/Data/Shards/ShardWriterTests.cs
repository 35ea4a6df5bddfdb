using System.Diagnostics;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;

namespace Scrl.Core.Tests.Data.Shards;

public sealed class ShardWriterTests(SyntheticShardFixture fixture) : IClassFixture<SyntheticShardFixture>
{
    private const long SmallShardBytes = 24 * 1024;   // a few synthetic samples per shard

    [Fact]
    public async Task WriteAsync_ThenRead_EveryImageAndAnnotationIdentical()
    {
        var (folder, index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);

        ShardRoundTrip.AssertMatches(fixture.Dataset, await ShardRoundTrip.ReadAllAsync(folder, index));
        Assert.Equal(fixture.Dataset.Records.Count, index.SampleCount);
        Assert.Equal(fixture.Dataset.Categories, index.Categories);
    }

    [Fact]
    public async Task WriteAsync_Twice_ByteIdenticalShardsAndIndex()
    {
        var (first, firstIndex) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);
        var (second, secondIndex) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);

        Assert.Equal(firstIndex.DatasetHash, secondIndex.DatasetHash);
        var names = Directory.GetFiles(first.Path).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(names, Directory.GetFiles(second.Path).Select(Path.GetFileName).Order().ToList());
        Assert.Contains(ShardFormat.IndexName, names);
        foreach (string name in names.Select(n => n!))
            Assert.True(File.ReadAllBytes(first.PathOf(name)).AsSpan().SequenceEqual(File.ReadAllBytes(second.PathOf(name))), $"{name} differs");
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]   // the default on two cores
    [InlineData(3, false)]  // through the page cache
    public async Task WriteAsync_ShardsSideBySide_SameBytesAsOneAtATime(int writers, bool syncToDisk)
    {
        var one = new ShardFolder(fixture.NewFolder());
        var two = new ShardFolder(fixture.NewFolder(), syncToDisk);

        const long target = SmallShardBytes / 2;   // more shards than writers
        var serial = await ShardWriter.WriteAsync(fixture.Dataset, one, new ShardWriterOptions { TargetShardBytes = target, Parallelism = 1 });
        var parallel = await ShardWriter.WriteAsync(fixture.Dataset, two, new ShardWriterOptions { TargetShardBytes = target, Parallelism = writers });

        Assert.True(serial.Shards.Count > writers, $"expected more shards than writers, got {serial.Shards.Count}");
        Assert.Equal(serial.Shards, parallel.Shards);
        foreach (var shard in serial.Shards)
            Assert.True(File.ReadAllBytes(one.PathOf(shard.Name)).AsSpan().SequenceEqual(File.ReadAllBytes(two.PathOf(shard.Name))), $"{shard.Name} differs");
    }

    [Fact]
    public async Task WriteAsync_ImageChangesAfterPlanning_FailsNamingItAndWritesNoIndex()
    {
        var records = RecordsOnCopiedImages();
        var shards = new ShardFolder(fixture.NewFolder());
        // The first shard's plan is made before its write starts; its second image grows in between.
        var sink = new BeforeFirstWrite(shards, () => File.AppendAllText(records[1].ImagePath, "more"));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ShardWriter.WriteAsync(
            fixture.Dataset with { Records = records }, sink, new ShardWriterOptions { TargetShardBytes = SmallShardBytes }));

        Assert.Contains(records[1].ImagePath, e.Message);
        Assert.Contains("changed while it was sharded", e.Message);
        Assert.False(File.Exists(shards.PathOf(ShardFormat.IndexName)));
        Assert.False(File.Exists(shards.PathOf(ShardFormat.ShardName(0))));
    }

    [Fact]
    public async Task WriteAsync_NoWriters_RefusedNamingTheOption()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ShardWriter.WriteAsync(
            fixture.Dataset, new DiscardingShardSink(), new ShardWriterOptions { Parallelism = 0 }));

        Assert.Contains("shards.parallelism", e.Message);
    }

    [Fact]
    public async Task WriteAsync_TargetSize_EveryShardFitsAndIndexMatchesFiles()
    {
        var (folder, index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);

        Assert.True(index.Shards.Count > 2, $"expected several shards, got {index.Shards.Count}");
        foreach (var shard in index.Shards)
        {
            var bytes = File.ReadAllBytes(folder.PathOf(shard.Name));
            Assert.True(bytes.Length <= SmallShardBytes, $"{shard.Name} is {bytes.Length} bytes");
            Assert.Equal(shard.Bytes, bytes.Length);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), shard.Sha256);
        }
        Assert.Equal(ShardIndex.HashOf(index.Shards), index.DatasetHash);
        Assert.Equal(index.Shards.Sum(s => s.Bytes), index.TotalBytes);
        var reread = await ShardIndex.ReadAsync(folder);
        Assert.Equal(index.DatasetHash, reread.DatasetHash);
        Assert.Equal(index.Shards, reread.Shards);
    }

    [Fact]
    public async Task WriteAsync_SampleLargerThanTarget_GetsAShardOfItsOwn()
    {
        var (folder, index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), targetBytes: 4 * 512 + 1024);

        Assert.Equal(fixture.Dataset.Records.Count, index.Shards.Count);
        Assert.All(index.Shards, s => Assert.Equal(1, s.SampleCount));
        ShardRoundTrip.AssertMatches(fixture.Dataset, await ShardRoundTrip.ReadAllAsync(folder, index));
    }

    [Fact]
    public async Task WriteAsync_CheckingImages_SameShardsAsWithout()
    {
        var plain = await ShardWriter.WriteAsync(fixture.Dataset, new DiscardingShardSink(), new ShardWriterOptions { TargetShardBytes = SmallShardBytes });
        var folder = new ShardFolder(fixture.NewFolder());

        var checkedIndex = await ShardWriter.WriteAsync(fixture.Dataset, folder, new ShardWriterOptions { TargetShardBytes = SmallShardBytes, CheckImages = true });

        Assert.Equal(plain.DatasetHash, checkedIndex.DatasetHash);
        Assert.Equal(plain.Shards, checkedIndex.Shards);
        ShardRoundTrip.AssertMatches(fixture.Dataset, await ShardRoundTrip.ReadAllAsync(folder, checkedIndex));
    }

    [Theory]
    [InlineData(DatasetProblemKind.CorruptImage)]
    [InlineData(DatasetProblemKind.MissingImage)]
    [InlineData(DatasetProblemKind.SizeMismatch)]
    public async Task WriteAsync_CheckingImages_BadImageStopsTheWriteWithItsProblem(DatasetProblemKind kind)
    {
        var records = RecordsOnCopiedImages();
        var bad = records[5];
        switch (kind)
        {
            case DatasetProblemKind.CorruptImage:
                var bytes = File.ReadAllBytes(bad.ImagePath);
                File.WriteAllBytes(bad.ImagePath, bytes[..(bytes.Length * 2 / 3)]);   // truncated
                break;
            case DatasetProblemKind.MissingImage:
                File.Delete(bad.ImagePath);
                break;
            default:
                records[5] = bad with { Width = bad.Width + 1 };
                break;
        }
        var dataset = fixture.Dataset with { Records = records };

        var e = await Assert.ThrowsAsync<DatasetProblemException>(() => ShardWriter.WriteAsync(
            dataset, new DiscardingShardSink(), new ShardWriterOptions { TargetShardBytes = SmallShardBytes, CheckImages = true }));

        Assert.Equal(kind, e.Problem.Kind);
        Assert.Equal(bad.ImageId, e.Problem.ImageId);
    }

    [Fact]
    public async Task WriteAsync_Shard_ReadableByPythonTarfile_AndGroupedAsWebDatasetGroupsSamples()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Fail($"{python} is missing: this test checks shards with Python's stdlib tarfile; install python3.");
        var (folder, index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);
        var shard = index.Shards[0];
        const string script = """
            import sys, tarfile, json, re
            with tarfile.open(sys.argv[1], mode="r:") as tar:
                members = tar.getmembers()
                # webdataset's grouping (tar_file_expander + group_by_keys): the name up to the first dot of its last
                # part is the key, consecutive members with one key are one sample, a repeated suffix is an error.
                samples = []
                for m in members:
                    key, suffix = re.match(r"^((?:.*/|)[^.]+)[.]([^/]*)$", m.name).groups()
                    if not samples or samples[-1]["__key__"] != key:
                        samples.append({"__key__": key})
                    assert suffix.lower() not in samples[-1], m.name
                    samples[-1][suffix.lower()] = m.size
                assert len({s["__key__"] for s in samples}) == len(samples), "a key appears in two places"
                assert all(sorted(s) == ["__key__", "jpg", "json"] for s in samples), samples
                for m in members:
                    assert m.isfile() and m.mtime == 0 and m.uid == 0 and m.gid == 0 and m.mode == 0o644, m
                    data = tar.extractfile(m).read()
                    assert len(data) == m.size
                    if m.name.endswith(".json"):
                        a = json.loads(data)
                        assert a["width"] > 0 and a["height"] > 0 and isinstance(a["instances"], list)
                        print(m.name, m.size, len(a["instances"]))
                    else:
                        assert data[:2] == b"\xff\xd8", m.name
                        print(m.name, m.size)
            """;
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-c", script, folder.PathOf(shard.Name) }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"python tarfile failed: {stderr}");
        var expected = (await ShardRoundTrip.ReadAllAsync(folder, index with { Shards = [shard] }))
            .SelectMany(s => new[] { $"{s.Key}.jpg {s.Image.Length}", $"{s.Key}.json {s.AnnotationJson.Length} {s.ReadAnnotation().Instances.Count}" });
        Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    // The fixture's records, pointing at copies of their images that a test may change.
    private List<DatasetRecord> RecordsOnCopiedImages()
    {
        string folder = fixture.NewFolder();
        var records = fixture.Dataset.Records.Select(r => r with { ImagePath = Path.Combine(folder, Path.GetFileName(r.ImagePath)) }).ToList();
        foreach (var (from, to) in fixture.Dataset.Records.Zip(records)) File.Copy(from.ImagePath, to.ImagePath);
        return records;
    }

    private sealed class BeforeFirstWrite(IShardSink inner, Action action) : IShardSink
    {
        private int _writes;

        public Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) == 1) action();
            return inner.WriteAsync(name, write, cancellationToken);
        }
    }
}
