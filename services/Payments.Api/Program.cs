using Payments.Api.Extensions;
using Payments.Api.Grpc;
using Payments.EventBus.Dapr;
using Payments.ServiceDefaults;

// appsettings.json is read from beside the binary, whatever directory the process starts in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.AddPaymentApiServices();
builder.AddEventBusTransport(PaymentApiDaprTopology.Topology);

var app = builder.Build();
app.MapGrpcService<PaymentGrpcService>();
app.MapDefaultEndpoints();
app.MapEventBusTransport();
await app.RunAsync();
