import { App } from "aws-cdk-lib";
import { CouponsStack } from "../lib/coupons-stack.ts";

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === "" ? undefined : String(value);
};
const natGateways = context("natGateways");

// No `env`: the template stays account- and region-agnostic, so `cdk synth` needs no credentials.
// `cdk deploy` fills the account and region in from the profile it deploys with.
new CouponsStack(app, context("stackName") ?? "Coupons", {
  description: "Coupon platform: ALB, ECS Fargate, RDS PostgreSQL 15, ElastiCache Redis, alarms (seed 003)",
  dbInstanceClass: context("dbInstanceClass"),
  redisNodeType: context("redisNodeType"),
  natGateways: natGateways === undefined ? undefined : Number(natGateways),
  alarmEmail: context("alarmEmail"),
  inngestSecretArn: context("inngestSecretArn"),
});
