using Scrl.Core.Runtime;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Runtime;

public sealed class OpenMpThreadsTests
{
    [Fact]
    public void LimitCurrentThread_ChangesThatThreadOnly()
    {
        int processWide = get_num_threads();
        (bool Applied, int Limited, int Other) seen = default;
        var limited = new Thread(() =>
        {
            bool applied = OpenMpThreads.LimitCurrentThread(1);
            int other = 0;
            var neighbour = new Thread(() => other = get_num_threads());   // a thread started later keeps the process-wide count
            neighbour.Start();
            neighbour.Join();
            seen = (applied, get_num_threads(), other);
        });
        limited.Start();
        limited.Join();

        Assert.True(seen.Applied, "no OpenMP runtime found among the loaded libraries");
        Assert.Equal(1, seen.Limited);
        Assert.Equal(processWide, seen.Other);
        Assert.Equal(processWide, get_num_threads());
    }

    [Fact]
    public void LimitCurrentThread_BelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenMpThreads.LimitCurrentThread(0));
}
