# Production: Spot first with an On-Demand fallback, schedules on.
env    = "prod"
region = "eu-west-1"
tags   = { "cost-center" = "platform" }

vpc_id     = "vpc-0prod000000000000"
subnet_ids = ["subnet-0prod000000000a", "subnet-0prod000000000b", "subnet-0prod000000000c"]

spot_max_vcpus      = 256
on_demand_max_vcpus = 64

tasks = {
  thumbnails = {
    worker_image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:1.0.0"
    vcpus               = 2
    memory              = 4096
    tenant_source       = "s3://bgtasks-prod-config-123456789012/tenants.json"
    tenant_bucket_names = ["bgtasks-prod-tenants-123456789012"]
    max_chunks          = 500
    schedule            = "cron(0 3 * * ? *)"
    schedule_enabled    = true
  }
  sitemap = {
    worker_image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:1.0.0"
    tenant_source       = "s3://bgtasks-prod-config-123456789012/tenants.json"
    tenant_bucket_names = ["bgtasks-prod-tenants-123456789012"]
    max_chunks          = 200
    schedule            = "cron(30 4 * * ? *)"
    schedule_enabled    = true
  }
}
