using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.SetPrediction;

// Shapes: R cost rows (proposals in the matcher), C cost columns (ground-truth objects); K = min(R, C) pairs.

/// <summary>Minimum (or maximum) cost matching of every row or every column of a dense cost matrix.</summary>
/// <remarks>
/// A port of SciPy 1.10's <c>scipy.optimize.linear_sum_assignment</c> (scipy/optimize/rectangular_lsap/
/// rectangular_lsap.cpp): the shortest augmenting path form of Jonker-Volgenant from D. F. Crouse, "On implementing
/// 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016. The scan order, the reversed column list and the
/// tie-breaking follow SciPy line for line, so among equal-cost optima it returns the same pairs as the DETR /
/// Sparse R-CNN Hungarian matcher does in Python.
/// </remarks>
public static class LinearSumAssignment
{
    /// <summary>Solves the assignment problem for a row-major [R, C] cost matrix.</summary>
    /// <param name="cost">Row-major costs [R*C]; +inf forbids a pair (-inf when <paramref name="maximize"/>).</param>
    /// <param name="rows">R.</param>
    /// <param name="cols">C.</param>
    /// <param name="maximize">Find the largest total instead of the smallest.</param>
    /// <returns>K = min(R, C) pairs, rows ascending; empty when R or C is 0.</returns>
    /// <exception cref="ArgumentException">A wrong length, NaN, or -inf (+inf when maximizing).</exception>
    /// <exception cref="InvalidOperationException">The forbidden pairs leave no full matching.</exception>
    public static Assignment Solve(ReadOnlySpan<double> cost, int rows, int cols, bool maximize = false)
    {
        CheckLength(cost.Length, rows, cols);
        return SolveUnchecked(cost, rows, cols, maximize);
    }

    /// <summary>Solves the assignment problem for a float32 CPU cost tensor, as SciPy does after widening it.</summary>
    /// <param name="cost">Costs [R, C], float32, on the CPU; any strides or storage offset.</param>
    /// <param name="maximize">Find the largest total instead of the smallest.</param>
    /// <returns>K = min(R, C) pairs, rows ascending; empty when R or C is 0.</returns>
    /// <exception cref="ArgumentException">Not a 2-D float32 CPU tensor, NaN, or -inf (+inf when maximizing).</exception>
    /// <exception cref="InvalidOperationException">The forbidden pairs leave no full matching.</exception>
    public static Assignment Solve(Tensor cost, bool maximize = false)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.dim() != 2 || cost.dtype != ScalarType.Float32 || cost.device_type != DeviceType.CPU)
            throw new ArgumentException(
                $"cost must be a 2-D float32 CPU tensor [R, C], got {cost.dtype} [{string.Join(", ", cost.shape)}] on {cost.device}",
                nameof(cost));
        int rows = checked((int)cost.shape[0]), cols = checked((int)cost.shape[1]);
        if (rows == 0 || cols == 0)
            return Assignment.Empty;
        // Read the storage in place: data<float>().ToArray() walks element offsets one by one, about as slow as the solve.
        using var dense = cost.contiguous();                            // [R, C] row-major; the same storage when already so
        return SolveUnchecked(MemoryMarshal.Cast<byte, float>(dense.bytes), rows, cols, maximize);
    }

    private static void CheckLength(int length, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (length != (long)rows * cols)
            throw new ArgumentException($"cost has {length} entries but a {rows}x{cols} matrix needs {(long)rows * cols}", "cost");
    }

    private static Assignment SolveUnchecked<T>(ReadOnlySpan<T> cost, int rows, int cols, bool maximize)
        where T : IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
            return Assignment.Empty;

        // SciPy solves the orientation with no more rows than columns, so every working row gets a column.
        bool transpose = cols < rows;
        int nr = transpose ? cols : rows, nc = transpose ? rows : cols;

        // One rented block per element type instead of ten small arrays: this runs on every matcher call.
        double[] doubles = ArrayPool<double>.Shared.Rent(nr * nc + nr + 2 * nc);
        int[] ints = ArrayPool<int>.Shared.Rent(nr + 3 * nc);
        bool[] flags = ArrayPool<bool>.Shared.Rent(nr + nc);
        try
        {
            var work = doubles.AsSpan(0, nr * nc);                      // [nr, nc]: oriented, negated if maximizing
            FillWorkingCost(cost, rows, cols, transpose, maximize, work);
            var col4row = ints.AsSpan(0, nr);
            var u = doubles.AsSpan(nr * nc, nr);
            var v = doubles.AsSpan(nr * nc + nr, nc);
            var shortestPathCosts = doubles.AsSpan(nr * nc + nr + nc, nc);
            var row4col = ints.AsSpan(nr, nc);
            var path = ints.AsSpan(nr + nc, nc);
            var remaining = ints.AsSpan(nr + 2 * nc, nc);
            var sr = flags.AsSpan(0, nr);
            var sc = flags.AsSpan(nr, nc);
            u.Clear();
            v.Clear();
            col4row.Fill(-1);
            row4col.Fill(-1);
            path.Fill(-1);

            for (int curRow = 0; curRow < nr; curRow++)
            {
                int sink = AugmentingPath(nc, work, u, v, path, row4col, shortestPathCosts, curRow, sr, sc, remaining,
                                          out double minVal);
                if (sink < 0)
                    throw new InvalidOperationException(
                        $"cost matrix is infeasible: the {(maximize ? "-inf" : "+inf")} entries of the {rows}x{cols} matrix leave no full matching");

                // update dual variables
                u[curRow] += minVal;
                for (int i = 0; i < nr; i++)
                    if (sr[i] && i != curRow)
                        u[i] += minVal - shortestPathCosts[col4row[i]];
                for (int j = 0; j < nc; j++)
                    if (sc[j])
                        v[j] -= minVal - shortestPathCosts[j];

                // augment the previous solution along the path back to curRow
                for (int j = sink; ;)
                {
                    int i = path[j];
                    row4col[j] = i;
                    (col4row[i], j) = (j, col4row[i]);
                    if (i == curRow)
                        break;
                }
            }
            return ToAssignment(col4row, transpose);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(doubles);
            ArrayPool<int>.Shared.Return(ints);
            ArrayPool<bool>.Shared.Return(flags);
        }
    }

    /// <summary>Finds the cheapest path from row <paramref name="i"/> to a free column (Crouse's Algorithm 4).</summary>
    /// <returns>The free column ending the path, or -1 when every remaining column is forbidden.</returns>
    private static int AugmentingPath(int nc, ReadOnlySpan<double> cost, ReadOnlySpan<double> u, ReadOnlySpan<double> v,
                                      Span<int> path, ReadOnlySpan<int> row4col, Span<double> shortestPathCosts, int i,
                                      Span<bool> sr, Span<bool> sc, Span<int> remaining, out double minVal)
    {
        minVal = 0;
        int numRemaining = nc;
        for (int it = 0; it < nc; it++)
            remaining[it] = nc - it - 1;                                // reversed: a constant matrix yields the identity
        sr.Clear();
        sc.Clear();
        shortestPathCosts.Fill(double.PositiveInfinity);

        int sink = -1;
        while (sink == -1)
        {
            int index = -1;
            double lowest = double.PositiveInfinity;
            sr[i] = true;
            var costRow = cost.Slice(i * nc, nc);
            double ui = u[i];
            for (int it = 0; it < numRemaining; it++)
            {
                int j = remaining[it];
                double r = minVal + costRow[j] - ui - v[j];
                double shortest = shortestPathCosts[j];
                if (r < shortest)
                {
                    path[j] = i;
                    shortestPathCosts[j] = shortest = r;
                }
                // Among equal minima prefer a free column: it ends the search (matters for small integer costs).
                if (shortest < lowest || (shortest == lowest && row4col[j] == -1))
                {
                    lowest = shortest;
                    index = it;
                }
            }

            minVal = lowest;
            if (double.IsPositiveInfinity(minVal))
                return -1;

            int col = remaining[index];
            if (row4col[col] == -1)
                sink = col;
            else
                i = row4col[col];
            sc[col] = true;
            remaining[index] = remaining[--numRemaining];
        }
        return sink;
    }

    private static void FillWorkingCost<T>(ReadOnlySpan<T> cost, int rows, int cols, bool transpose, bool maximize,
                                           Span<double> work)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double c = double.CreateTruncating(cost[i * cols + j]);
                if (maximize)
                    c = -c;
                if (double.IsNaN(c) || double.IsNegativeInfinity(c))
                    throw new ArgumentException(
                        $"cost[{i}, {j}] is {cost[i * cols + j]}: the matrix must not contain NaN or {(maximize ? "+inf when maximizing" : "-inf when minimizing")}",
                        nameof(cost));
                work[transpose ? j * rows + i : i * cols + j] = c;
            }
        }
    }

    private static Assignment ToAssignment(ReadOnlySpan<int> col4row, bool transpose)
    {
        var first = new int[col4row.Length];
        var second = col4row.ToArray();
        for (int k = 0; k < first.Length; k++)
            first[k] = k;
        if (!transpose)
            return new Assignment(first, second);
        // Working rows are the caller's columns: order the pairs by the caller's row, as SciPy's argsort does.
        Array.Sort(second, first);
        return new Assignment(second, first);
    }
}
