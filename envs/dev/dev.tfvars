# Development: Spot only, small cap, schedules off (start runs with `bgtasks run TASK --env dev`).
env    = "dev"
region = "eu-west-1"
tags   = { "cost-center" = "platform" }

vpc_id     = "vpc-0dev0000000000000"
subnet_ids = ["subnet-0dev0000000000a", "subnet-0dev0000000000b"]

spot_max_vcpus      = 16
on_demand_max_vcpus = 0

tasks = {
  thumbnails = {
    worker_image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:latest"
    memory              = 2048
    tenant_source       = "s3://bgtasks-dev-config-123456789012/tenants.json"
    tenant_bucket_names = ["bgtasks-dev-tenants-123456789012"]
    max_chunks          = 20
    schedule            = "cron(0 3 * * ? *)"
    schedule_enabled    = false
  }
  sitemap = {
    worker_image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:latest"
    tenant_source       = "s3://bgtasks-dev-config-123456789012/tenants.json"
    tenant_bucket_names = ["bgtasks-dev-tenants-123456789012"]
    max_chunks          = 10
  }
}
