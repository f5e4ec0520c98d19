output "state_machine_arn" {
  description = "The workflow's state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "job_queue_arn" {
  description = "The job queue."
  value       = aws_batch_job_queue.this.arn
}

output "compute_environment_arn" {
  description = "The spot compute environment."
  value       = aws_batch_compute_environment.spot.arn
}
