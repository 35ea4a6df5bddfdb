using Scrl.Detection.SetPrediction;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.SetPrediction;

/// <summary>
/// The solver returns SciPy's pairs on golden/lsap (make_lsap.py), reaches the brute-force optimum on small random
/// matrices, and rejects what SciPy rejects.
/// </summary>
public sealed class LinearSumAssignmentTests
{
    public static IEnumerable<object[]> GoldenNames() => LsapGoldenCase.Names();

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Solve_GoldenCase_MatchesScipy(string name)
    {
        var golden = LsapGoldenCase.Get(name);
        AssertMatchesScipy(golden, () => LinearSumAssignment.Solve(golden.Cost, golden.Rows, golden.Cols, golden.Maximize));
        if (golden.Singles is not null)
        {
            using var matrix = tensor(golden.Singles).reshape(golden.Rows, golden.Cols); // [R, C] float32
            AssertMatchesScipy(golden, () => LinearSumAssignment.Solve(matrix, golden.Maximize));
        }
    }

    [Fact]
    public void Solve_TransposedTensorView_ReadsLogicalLayout()
    {
        var golden = LsapGoldenCase.Get("sparse_rcnn_100x7");
        using var stored = tensor(golden.Singles!).reshape(golden.Rows, golden.Cols).t().contiguous(); // [C, R]
        using var view = stored.t();                                   // [R, C], not contiguous

        var assignment = LinearSumAssignment.Solve(view);

        Assert.False(view.is_contiguous());
        Assert.Equal(golden.RowInd, assignment.Rows);
        Assert.Equal(golden.ColInd, assignment.Columns);
    }

    [Fact]
    public void Solve_TensorRowsOfALargerTensor_ReadFromTheirOffset()
    {
        var golden = LsapGoldenCase.Get("sparse_rcnn_100x7");
        using var padded = cat([full(3, golden.Cols, float.NaN), tensor(golden.Singles!).reshape(golden.Rows, golden.Cols)]); // [3+R, C]
        using var rows = padded.narrow(0, 3, golden.Rows);             // [R, C], contiguous, storage offset 3*C

        var assignment = LinearSumAssignment.Solve(rows);

        Assert.True(rows.is_contiguous());
        Assert.Equal(golden.RowInd, assignment.Rows);
        Assert.Equal(golden.ColInd, assignment.Columns);
    }

    [Fact]
    public void Solve_RandomSmallMatrices_ReachBruteForceOptimum()
    {
        var random = new Random(1686);
        for (int trial = 0; trial < 600; trial++)
        {
            int rows = random.Next(1, 7), cols = random.Next(1, 7);
            bool maximize = trial % 3 == 0;
            double forbidden = maximize ? double.NegativeInfinity : double.PositiveInfinity;
            var cost = new double[rows * cols];
            for (int k = 0; k < cost.Length; k++)
                cost[k] = (trial % 4) switch
                {
                    0 => random.Next(0, 3),                                // many ties
                    1 => random.NextDouble() < 0.3 ? forbidden : random.Next(-5, 6), // forbidden pairs, maybe infeasible
                    2 => Math.Round(random.NextDouble() * 2e4 - 1e4, 3),
                    _ => random.NextDouble(),
                };
            double? best = BruteForceOptimum(cost, rows, cols, maximize);

            if (best is null)
            {
                Assert.Throws<InvalidOperationException>(() => LinearSumAssignment.Solve(cost, rows, cols, maximize));
                continue;
            }
            var assignment = LinearSumAssignment.Solve(cost, rows, cols, maximize);
            Assert.Equal(Math.Min(rows, cols), assignment.Count);
            Assert.True(assignment.Rows.SequenceEqual(assignment.Rows.Order().Distinct()), "rows ascending and distinct");
            Assert.Equal(assignment.Count, assignment.Columns.Distinct().Count());
            Assert.Equal(best.Value, Total(cost, cols, assignment), 1e-9 * Math.Max(1, Math.Abs(best.Value)));
        }
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 0)]
    [InlineData(0, 0)]
    public void Solve_ZeroRowsOrColumns_ReturnsNoPairs(int rows, int cols)
    {
        Assert.Equal(0, LinearSumAssignment.Solve(ReadOnlySpan<double>.Empty, rows, cols).Count);
        using var empty = zeros(rows, cols);                           // [R, C] with R or C zero
        Assert.Equal(0, LinearSumAssignment.Solve(empty, maximize: true).Count);
    }

    [Fact]
    public void Solve_LengthNotRowsTimesCols_ThrowsWithBothSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => LinearSumAssignment.Solve(new double[5], 2, 3));
        Assert.Contains("5", error.Message);
        Assert.Contains("2x3", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearSumAssignment.Solve(new double[0], -1, 0));
    }

    [Theory]
    [InlineData(double.NaN, false, "NaN")]
    [InlineData(double.NaN, true, "NaN")]
    [InlineData(double.NegativeInfinity, false, "-inf when minimizing")]
    [InlineData(double.PositiveInfinity, true, "+inf when maximizing")]
    public void Solve_InvalidEntry_ThrowsNamingItsPosition(double bad, bool maximize, string expected)
    {
        double[] cost = [1, 2, 3, 4, 5, bad];                      // [2, 3]: the bad entry is cost[1, 2]

        var error = Assert.Throws<ArgumentException>(() => LinearSumAssignment.Solve(cost, 2, 3, maximize));

        Assert.Contains("cost[1, 2]", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Solve_NegativeInfinityWhenMaximizing_ForbidsThatPair()
    {
        double[] cost = [double.NegativeInfinity, 1, 5, 2];       // [2, 2]: (0,0) is forbidden, so (0,1)+(1,0) is the only finite matching

        var assignment = LinearSumAssignment.Solve(cost, 2, 2, maximize: true);

        Assert.Equal([0, 1], assignment.Rows);
        Assert.Equal([1, 0], assignment.Columns);
    }

    [Fact]
    public void Solve_ColumnForbiddenForEveryRow_ThrowsInfeasible()
    {
        double inf = double.PositiveInfinity;
        double[] cost = [1, inf, 2, inf, 3, inf];                  // [3, 2]: column 1 can take no row

        var error = Assert.Throws<InvalidOperationException>(() => LinearSumAssignment.Solve(cost, 3, 2));

        Assert.Contains("infeasible", error.Message);
    }

    [Fact]
    public void Solve_TensorNotFloat32Matrix_Throws()
    {
        using var doubles = zeros(3, 2, ScalarType.Float64);
        using var vector = zeros(6);

        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => LinearSumAssignment.Solve(doubles)).Message);
        Assert.Contains("[6]", Assert.Throws<ArgumentException>(() => LinearSumAssignment.Solve(vector)).Message);
    }

    private static void AssertMatchesScipy(LsapGoldenCase golden, Func<Assignment> solve)
    {
        switch (golden.Error)
        {
            case "infeasible":
                Assert.Throws<InvalidOperationException>(solve);
                return;
            case "invalid":
                Assert.Throws<ArgumentException>(solve);
                return;
        }
        var assignment = solve();
        Assert.Equal(golden.RowInd, assignment.Rows);
        Assert.Equal(golden.ColInd, assignment.Columns);
        Assert.Equal(golden.Total!.Value, Total(golden.Cost, golden.Cols, assignment), 1e-9 * Math.Max(1, Math.Abs(golden.Total.Value)));
    }

    private static double Total(double[] cost, int cols, Assignment assignment) =>
        Enumerable.Range(0, assignment.Count).Sum(k => cost[assignment.Rows[k] * cols + assignment.Columns[k]]);

    /// <summary>Best total over every matching of the smaller side, or null when each uses a forbidden pair.</summary>
    private static double? BruteForceOptimum(double[] cost, int rows, int cols, bool maximize)
    {
        bool transpose = rows > cols;
        int small = Math.Min(rows, cols), large = Math.Max(rows, cols);
        double? best = null;
        var used = new bool[large];

        void Extend(int k, double total)
        {
            if (k == small)
            {
                if (double.IsFinite(total) && (best is null || (maximize ? total > best : total < best)))
                    best = total;
                return;
            }
            for (int other = 0; other < large; other++)
            {
                if (used[other])
                    continue;
                used[other] = true;
                Extend(k + 1, total + (transpose ? cost[other * cols + k] : cost[k * cols + other]));
                used[other] = false;
            }
        }

        Extend(0, 0);
        return best;
    }
}
