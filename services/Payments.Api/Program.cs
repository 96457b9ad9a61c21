using Payments.Api.Extensions;
using Payments.Api.Grpc;
using Payments.EventBus.Dapr;
using Payments.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPaymentApiServices();
builder.AddEventBusTransport(PaymentApiDaprTopology.Topology);

var app = builder.Build();
app.MapGrpcService<PaymentGrpcService>();
app.MapDefaultEndpoints();
app.MapEventBusTransport();
await app.RunAsync();
