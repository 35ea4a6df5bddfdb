using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Models;

public class SparseRcnnKeyTests
{
    [Fact]
    public void StateDictKeys_BesideTheBackbone_AreTheAuthors()
    {
        var expected = File.ReadAllLines(GoldenFiles.PathOf("sparsercnn/state_dict_keys.txt"))
            .Select(line => line.Split(' ')).ToDictionary(parts => parts[1], parts => parts[2]);
        using var model = SparseRcnn.FromOptions(new SparseRcnnOptions { NumClasses = 81 });

        var actual = model.state_dict().Where(kv => !kv.Key.StartsWith("backbone.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Equal(expected.Keys, actual.Keys);   // same order too: the authors' checkpoints list them so
        Assert.Empty(expected.Where(kv => actual[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: {kv.Value} vs {actual[kv.Key]}"));
    }
}
