using System.Globalization;
using Lattice.Testing.History;
using Lattice.Testing.Linearizability;
using Lattice.Testing.Tests.History;

namespace Lattice.Testing.Tests.Linearizability;

/// <summary>The search is model-agnostic: a counter specified in a few lines is checked the same way.</summary>
public sealed class CustomModelTests
{
    [Fact]
    public void Counter_model_accepts_a_valid_history_and_rejects_a_read_that_skips_an_increment()
    {
        var valid = new TestHistory()
            .Increment(1, 2, 0, 10)
            .Increment(2, 3, 5, 0, OperationOutcome.Info)
            .ReadCounter(3, 5, 20, 30)
            .ReadCounter(3, 5, 40, 50);
        Assert.True(LinearizabilityChecker.Check(valid.Operations, new CounterModel()).IsLinearizable);

        var invalid = new TestHistory()
            .Increment(1, 2, 0, 10)
            .ReadCounter(3, 2, 20, 30)
            .ReadCounter(3, 0, 40, 50);
        LinearizabilityResult result = LinearizabilityChecker.Check(invalid.Operations, new CounterModel());
        Assert.False(result.IsLinearizable);
        Assert.Equal("c", result.FailingKey);
    }

    private sealed class CounterModel : IModel<long>
    {
        public long InitialState => 0;

        public IEqualityComparer<long> StateComparer => EqualityComparer<long>.Default;

        public bool Supports(OperationKind kind) => kind is OperationKind.Read or OperationKind.Increment;

        public IReadOnlyList<HistoryOperation> SelectOperationsToPlace(IReadOnlyList<HistoryOperation> keyOperations) =>
            keyOperations.Where(operation => operation.Kind != OperationKind.Read || operation.Outcome == OperationOutcome.Ok).ToList();

        public bool IsReadOnly(HistoryOperation operation) => operation.Kind == OperationKind.Read;

        public (bool Ok, long NewState) Step(long state, HistoryOperation operation)
        {
            long number = long.Parse(operation.Value!, CultureInfo.InvariantCulture);
            return operation.Kind == OperationKind.Read ? (number == state, state) : (true, state + number);
        }

        public string DescribeState(long state) => state.ToString(CultureInfo.InvariantCulture);
    }
}
