using Grpc.Core;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.EventBus;
using Payments.Ledger.Storage;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;

namespace Payments.Ledger.Grpc;

/// <summary>
/// ledger.v1.LedgerService. Queries read the ledger tables, and ListAuditRuns the audit job's recorded
/// runs; OpenAccount publishes an intent like every other change and waits for the writer's outcome, so
/// accounts are rebuilt by replaying the log.
/// </summary>
internal sealed class LedgerGrpcService(
    LedgerReadStore reads, AuditRunReader auditRuns, IEventPublisher publisher, ITopicSignal signal, IOptions<LedgerOptions> options)
    : LedgerService.LedgerServiceBase
{
    private const string Source = "ledger";

    /// <inheritdoc />
    public override async Task<OpenAccountResponse> OpenAccount(OpenAccountRequest request, ServerCallContext context)
    {
        var requestId = RequestGuards.RequestId(request.RequestId);
        var ledger = ServedLedger(request.Ledger);
        ValidateOpening(request);
        var principal = CallerPrincipal.Of(context);
        var accountId = IntentIds.Account(principal, requestId);
        var intent = new AccountOpeningRequested
        {
            AccountId = accountId.ToString(), Ledger = ledger, Currency = request.Currency, Owner = request.Owner,
            Flags = request.Flags ?? new AccountFlags(), RequestId = requestId, Principal = principal,
        };
        var envelope = ProtoEvents.Wrap(intent, IntentIds.IntentEvent(accountId), Source,
            intent.AccountId, ledger, DateTimeOffset.UtcNow, ProtoEvents.CurrentTraceParent());
        await publisher.PublishAsync(EventTopics.Payments, [envelope], context.CancellationToken);
        await RefuseConflictingRetryAsync(envelope.Id, intent, context.CancellationToken);

        var budget = CallBudget.Remaining(context, TimeSpan.FromMilliseconds(options.Value.OutcomeWaitMaxMs));
        var outcome = await signal.WaitForAsync(EventTopics.Ledger,
            ct => reads.FindAccountOutcomeAsync(accountId, ct), budget, context.CancellationToken);
        if (outcome is null)
        {
            throw GrpcErrors.For(ResultCode.OutcomePending, "The account opening is durable but not yet applied; retry with the same request_id.");
        }

        return outcome.Account is { } state
            ? new OpenAccountResponse { Account = state.ToProto() }
            : throw GrpcErrors.For(outcome.Rejection, $"The ledger refused the account: {outcome.Rejection.Reason()}.");
    }

    /// <inheritdoc />
    public override async Task<GetAccountResponse> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        var state = await FindAccountAsync(request.AccountId, context);
        return new GetAccountResponse { Account = state.ToProto() };
    }

    /// <inheritdoc />
    public override async Task<FreezeAccountResponse> FreezeAccount(FreezeAccountRequest request, ServerCallContext context) =>
        new() { Account = await ChangeStatusAsync(request.RequestId, request.AccountId, AccountStatus.Frozen, context) };

    /// <inheritdoc />
    public override async Task<UnfreezeAccountResponse> UnfreezeAccount(UnfreezeAccountRequest request, ServerCallContext context) =>
        new() { Account = await ChangeStatusAsync(request.RequestId, request.AccountId, AccountStatus.Active, context) };

    /// <inheritdoc />
    public override async Task<CloseAccountResponse> CloseAccount(CloseAccountRequest request, ServerCallContext context) =>
        new() { Account = await ChangeStatusAsync(request.RequestId, request.AccountId, AccountStatus.Closed, context) };

    /// <inheritdoc />
    public override async Task<GetBalanceResponse> GetBalance(GetBalanceRequest request, ServerCallContext context)
    {
        if (request.AsOfLedgerSequence < 0)
        {
            GrpcErrors.Throw(ResultCode.LedgerSequenceInvalid, "as_of_ledger_sequence must not be negative.");
        }

        var state = await FindAccountAsync(request.AccountId, context);
        if (request.AsOfLedgerSequence > 0)
        {
            // A read as of a sequence not yet committed would answer differently once it is: refuse it, so
            // that every answer as of a sequence is the final one.
            var head = await reads.FindHeadSequenceAsync(state.Account.Ledger, context.CancellationToken);
            if (request.AsOfLedgerSequence > head)
            {
                GrpcErrors.Throw(ResultCode.LedgerSequenceAhead,
                    $"as_of_ledger_sequence {request.AsOfLedgerSequence} is past ledger {state.Account.Ledger}'s last commit, {head}.");
            }

            var entry = await reads.FindLatestEntryAsync(state.Account.Id, request.AsOfLedgerSequence, context.CancellationToken);
            return new GetBalanceResponse
            {
                Balance = (entry?.BalancesAfter ?? default).ToProto(state.Account.Id, state.Account.Currency, entry?.AccountSequence ?? 0),
            };
        }

        return new GetBalanceResponse
        {
            Balance = state.Balances.ToProto(state.Account.Id, state.Account.Currency, state.Sequence),
        };
    }

    /// <inheritdoc />
    public override async Task<ListEntriesResponse> ListEntries(ListEntriesRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var state = await FindAccountAsync(request.AccountId, context);
        var scope = "entries:" + state.Account.Id.ToString("N");
        var after = Paging.After(request.PageToken, scope);

        // One extra row tells whether another page follows without a second query.
        var entries = await reads.ListEntriesAsync(state.Account.Id, after, pageSize + 1, context.CancellationToken);
        var page = entries.Take(pageSize).ToList();
        var response = new ListEntriesResponse { Entries = { page.Select(e => e.ToProto()) } };
        if (entries.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(scope, page[^1].AccountSequence);
        }

        return response;
    }

    /// <inheritdoc />
    public override async Task<GetTransferResponse> GetTransfer(GetTransferRequest request, ServerCallContext context)
    {
        var id = RequestGuards.Id(request.TransferId, "transfer_id");
        var transfer = await reads.FindTransferAsync(id, context.CancellationToken)
            ?? throw AccountAccess.TransferNotFound(id);
        if (!CallerPrincipal.IsAdministrator(context))
        {
            var debit = await reads.FindAccountAsync(transfer.DebitAccountId, context.CancellationToken);
            var credit = await reads.FindAccountAsync(transfer.CreditAccountId, context.CancellationToken);
            AccountAccess.EnsureMayReadTransfer(context, id, [debit?.Account.Owner, credit?.Account.Owner]);
        }

        return new GetTransferResponse { Transfer = transfer.ToProto() };
    }

    /// <inheritdoc />
    public override async Task<ListAuditRunsResponse> ListAuditRuns(ListAuditRunsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var ledger = ServedLedger(request.Ledger);
        var scope = "audit-runs:" + ledger;
        var runs = await auditRuns.ListAsync(ledger, Paging.AfterId(request.PageToken, scope), pageSize + 1, context.CancellationToken);
        var response = new ListAuditRunsResponse { Runs = { runs.Take(pageSize) } };
        if (runs.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(scope, Guid.Parse(runs[pageSize - 1].Id));
        }

        return response;
    }

    // The ledger a request names, or the deployment's when it names none; a deployment serves exactly one.
    private string ServedLedger(string requested)
    {
        var ledger = requested.Length == 0 ? options.Value.Name : requested;
        if (ledger != options.Value.Name)
        {
            GrpcErrors.Throw(ResultCode.LedgerUnknown, $"This deployment serves ledger '{options.Value.Name}'.");
        }

        return ledger;
    }

    // A status change is an intent like any other: published, applied by the writer, recorded as a row.
    private async Task<Account> ChangeStatusAsync(string requestIdValue, string accountIdValue, AccountStatus status, ServerCallContext context)
    {
        var requestId = RequestGuards.RequestId(requestIdValue);
        var accountId = RequestGuards.Id(accountIdValue, "account_id");
        var principal = CallerPrincipal.Of(context);
        var changeId = IntentIds.AccountChange(principal, requestId);
        var intent = new AccountStatusChangeRequested
        {
            ChangeId = changeId.ToString(), AccountId = accountId.ToString(), Ledger = options.Value.Name, Status = status,
            RequestId = requestId, Principal = principal,
        };
        var eventId = IntentIds.IntentEvent(changeId);
        await publisher.PublishAsync(EventTopics.Payments, [ProtoEvents.Wrap(intent, eventId, Source, intent.ChangeId,
            options.Value.Name, DateTimeOffset.UtcNow, ProtoEvents.CurrentTraceParent())], context.CancellationToken);
        var recorded = ProtoEvents.ParseData<AccountStatusChangeRequested>(await reads.FindIntentDataAsync(eventId, context.CancellationToken)
            ?? throw GrpcErrors.For(ResultCode.InternalInconsistency, "An accepted status change could not be read back."));
        if (recorded.AccountId != intent.AccountId || recorded.Status != intent.Status)
        {
            throw GrpcErrors.For(ResultCode.ExistsWithDifferentFields,
                $"request_id '{requestId}' was used for a different account change: EXISTS_WITH_DIFFERENT_FIELDS.");
        }

        var budget = CallBudget.Remaining(context, TimeSpan.FromMilliseconds(options.Value.OutcomeWaitMaxMs));
        var outcome = await signal.WaitForAsync(EventTopics.Ledger,
            ct => reads.FindStatusChangeOutcomeAsync(changeId, accountId, ct), budget, context.CancellationToken)
            ?? throw GrpcErrors.For(ResultCode.OutcomePending, "The change is durable but not yet applied; retry with the same request_id.");
        return outcome.Account is { } state
            ? state.ToProto()
            : throw GrpcErrors.For(outcome.Rejection, $"The ledger refused the change: {outcome.Rejection.Reason()}.");
    }

    // The log keeps the first intent of a request_id; a retry that asks for something else is refused.
    private async Task RefuseConflictingRetryAsync(Guid eventId, AccountOpeningRequested retried, CancellationToken cancellationToken)
    {
        var recorded = await reads.FindIntentDataAsync(eventId, cancellationToken)
            ?? throw GrpcErrors.For(ResultCode.InternalInconsistency, "An accepted account opening could not be read back.");
        var conflict = AccountConflicts.Between(ProtoEvents.ParseData<AccountOpeningRequested>(recorded), retried);
        if (conflict != ResultCode.Ok)
        {
            throw GrpcErrors.For(conflict, $"request_id '{retried.RequestId}' was used to open a different account: {conflict.Reason()}.",
                new Dictionary<string, string> { ["account_id"] = retried.AccountId });
        }
    }

    private async Task<Domain.AccountState> FindAccountAsync(string accountId, ServerCallContext context)
    {
        var id = RequestGuards.Id(accountId, "account_id");
        var state = await reads.FindAccountAsync(id, context.CancellationToken)
            ?? throw AccountAccess.AccountNotFound(id);
        AccountAccess.EnsureMayRead(context, state.Account);
        return state;
    }

    private static void ValidateOpening(OpenAccountRequest request)
    {
        RequestGuards.Currency(request.Currency);
        if (string.IsNullOrWhiteSpace(request.Owner))
        {
            GrpcErrors.Throw(ResultCode.OwnerRequired, "owner is required.");
        }

        if (request.Owner.Length > RequestGuards.TextLengthMax)
        {
            GrpcErrors.Throw(ResultCode.OwnerTooLong, $"owner is longer than {RequestGuards.TextLengthMax} characters.");
        }

        RequestGuards.Text(request.Owner, "owner");

        if (request.Flags is { DebitsMustNotExceedCredits: true, CreditsMustNotExceedDebits: true })
        {
            GrpcErrors.Throw(ResultCode.FlagsMutuallyExclusive, "An account can limit its debits or its credits, not both.");
        }
    }
}
