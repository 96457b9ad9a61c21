using Payments.Api.Extensions;
using Payments.Api.Grpc;
using Payments.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPaymentApiServices();

var app = builder.Build();
app.MapGrpcService<PaymentGrpcService>();
app.MapDefaultEndpoints();
await app.RunAsync();
