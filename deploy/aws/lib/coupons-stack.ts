import * as path from "node:path";
import {
  Aws,
  CfnOutput,
  CfnParameter,
  CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as elasticache from "aws-cdk-lib/aws-elasticache";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import * as cr from "aws-cdk-lib/custom-resources";
import type { Construct } from "constructs";

export const APP_PORT = 3000;
export const DB_NAME = "coupons";
export const CONTAINER_NAME = "app";
export const LOG_STREAM_PREFIX = "app";

/**
 * Alarm thresholds. Where the project already set one, it is taken from there:
 * - latency: docs/slo.md ("p95 latency of redeem < 300 ms", every 10-minute window for alerting) and
 *   docs/runbooks/reservation-leaks-and-alerts.md#alert-thresholds ("p95 > 0.3 s for 10 min"), seed
 *   004's "p95 < 300ms steady" baseline. The ALB measures every route, not only redeem, and adds
 *   its own hop: a plain first warning, as the runbook calls it, not the SLO itself.
 * - 5xx: the same runbook table, "5xx ratio of any route > 2 % for 10 min".
 * - CPU and DB connections have no number in the docs or seeds 001/003/004 (seed 003 only names
 *   the metrics); ours are explained where they are used.
 */
export const THRESHOLDS = {
  http5xxPercent: 2,
  latencyP95Seconds: 0.3,
  /** Autoscaling holds the service at 70 %; 85 % for 15 minutes means scaling ran out (10 tasks) or can't keep up. */
  ecsCpuPercent: 85,
  /**
   * 90 % of what the app itself can open at full scale: 10 tasks × DATABASE_POOL_MAX 20 (lib/env.ts's
   * default) = 200. Past that something other than the pools holds connections, or the pool size
   * was raised without a larger instance; db.t4g.medium refuses past ~400 (max_connections).
   */
  dbConnections: 180,
} as const;

export interface CouponsStackProps extends StackProps {
  /** RDS instance class without the `db.` prefix (context `dbInstanceClass`); seed 003: t4g.medium. */
  dbInstanceClass?: string;
  /** ElastiCache node type (context `redisNodeType`); seed 003: cache.r6g.large. */
  redisNodeType?: string;
  /** NAT gateways for the tasks' egress (context `natGateways`); one per AZ keeps an AZ loss local. */
  natGateways?: number;
  /** Subscribes this address to the alarm topic (context `alarmEmail`). */
  alarmEmail?: string;
  /**
   * A Secrets Manager secret with the keys INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY (context
   * `inngestSecretArn`): Inngest Cloud issues them, so they can't be generated here.
   */
  inngestSecretArn?: string;
}

/**
 * Seed 003's AWS layout: ALB (443, /health every 30 s) → ECS Fargate tasks (0.5 vCPU, 1 GB, port 3000,
 * 2–10 on CPU 70 %) in private subnets → RDS PostgreSQL 15 Multi-AZ and ElastiCache Redis in isolated
 * subnets; the migration runs as a one-off task before the service updates; CloudWatch alarms to SNS.
 * Environment-agnostic: `cdk synth` needs no AWS account.
 */
export class CouponsStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly service: ecs.FargateService;
  readonly migration: CustomResource;

  constructor(scope: Construct, id: string, props: CouponsStackProps = {}) {
    super(scope, id, props);

    const imageUri = new CfnParameter(this, "ImageUri", {
      type: "String",
      description: "The app image, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/coupons:2026-12-01-abc1234",
      minLength: 1,
    });
    const certificateArn = new CfnParameter(this, "CertificateArn", {
      type: "String",
      description: "ACM certificate for the HTTPS listener (same region as the stack)",
      allowedPattern: "arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+",
    });

    // ---- Network: public subnets for the ALB (and NAT), private ones with egress for the tasks
    // (ECR, Secrets Manager, CloudWatch, Inngest Cloud, alert webhooks), isolated ones for the data.
    this.vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      natGateways: props.natGateways ?? 2,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: "data", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const appSubnets: ec2.SubnetSelection = { subnetGroupName: "app" };
    const dataSubnets: ec2.SubnetSelection = { subnetGroupName: "data" };

    // ---- Security groups: ALB → tasks:3000 (added by the target registration below); tasks → RDS:5432
    // and Redis:6379. The data groups have no egress: they only answer.
    const albSg = new ec2.SecurityGroup(this, "AlbSg", {
      vpc: this.vpc,
      description: "Internet-facing ALB: 443 and 80 (redirect)",
      allowAllOutbound: false,
    });
    const taskSg = new ec2.SecurityGroup(this, "TaskSg", {
      vpc: this.vpc,
      description: "App tasks (and the migration task): reachable from the ALB only",
      allowAllOutbound: true,
    });
    const dbSg = new ec2.SecurityGroup(this, "DbSg", {
      vpc: this.vpc,
      description: "RDS PostgreSQL: app tasks only",
      allowAllOutbound: false,
    });
    dbSg.addIngressRule(taskSg, ec2.Port.tcp(5432), "PostgreSQL from the app tasks");
    const redisSg = new ec2.SecurityGroup(this, "RedisSg", {
      vpc: this.vpc,
      description: "ElastiCache Redis: app tasks only",
      allowAllOutbound: false,
    });
    redisSg.addIngressRule(taskSg, ec2.Port.tcp(6379), "Redis from the app tasks");

    // ---- RDS PostgreSQL 15 (seed 003: db.t4g.medium, 100 GB gp3, Multi-AZ, 7 days of backups,
    // Performance Insights). The app connects with DATABASE_SSL=require; force_ssl makes the server
    // refuse anything else (PostgreSQL 15's RDS default still accepts plain connections).
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_15 });
    const db = new rds.DatabaseInstance(this, "Db", {
      engine,
      instanceType: new ec2.InstanceType(props.dbInstanceClass ?? "t4g.medium"),
      vpc: this.vpc,
      vpcSubnets: dataSubnets,
      securityGroups: [dbSg],
      publiclyAccessible: false,
      multiAz: true,
      databaseName: DB_NAME,
      credentials: rds.Credentials.fromGeneratedSecret("coupons_admin"),
      parameterGroup: new rds.ParameterGroup(this, "DbParams", { engine, parameters: { "rds.force_ssl": "1" } }),
      allocatedStorage: 100,
      maxAllocatedStorage: 500,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      backupRetention: Duration.days(7),
      deletionProtection: true,
      // A stack deletion leaves a final snapshot (deletion protection has to be lifted first anyway).
      removalPolicy: RemovalPolicy.SNAPSHOT,
      enablePerformanceInsights: true,
      cloudwatchLogsExports: ["postgresql"],
      copyTagsToSnapshot: true,
    });
    const dbSecret = db.secret!; // set by fromGeneratedSecret

    // ---- ElastiCache Redis: primary + replica in two AZs, automatic failover, TLS. Seed 003 says
    // "cluster mode enabled"; the app's single ioredis client (REDIS_URL) needs cluster mode
    // disabled, and rate-limit counters fit one shard. No AUTH token: it would put a password in
    // REDIS_URL; the security group is the gate.
    const redisSubnets = new elasticache.CfnSubnetGroup(this, "RedisSubnets", {
      description: "coupons redis: isolated subnets",
      subnetIds: this.vpc.selectSubnets(dataSubnets).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, "Redis", {
      replicationGroupDescription: "coupons: rate limits",
      engine: "redis",
      engineVersion: "7.1",
      cacheNodeType: props.redisNodeType ?? "cache.r6g.large",
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      port: 6379,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSg.securityGroupId],
      snapshotRetentionLimit: 5,
    });

    // ---- App secrets, generated once. Kept when the stack goes: CODE_HASH_SECRET keys the hashed
    // codes in the attempt logs of a database restored from its snapshot, AUTH_SECRET the sessions.
    // One secret per value because Secrets Manager generates a single key per secret.
    const appSecret = (name: string) =>
      new secretsmanager.Secret(this, name.replace(/_/g, ""), {
        description: `coupons ${name}`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const generated = {
      AUTH_SECRET: appSecret("AUTH_SECRET"),
      CODE_HASH_SECRET: appSecret("CODE_HASH_SECRET"),
      INTERNAL_API_TOKEN: appSecret("INTERNAL_API_TOKEN"),
      METRICS_TOKEN: appSecret("METRICS_TOKEN"),
    };

    // ---- ECS Fargate: 0.5 vCPU, 1 GB, port 3000.
    const cluster = new ecs.Cluster(this, "Cluster", {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const logGroup = new logs.LogGroup(this, "AppLogs", {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, "TaskDef", {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });

    const secrets: Record<string, ecs.Secret> = {
      DATABASE_USER: ecs.Secret.fromSecretsManager(dbSecret, "username"),
      DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(dbSecret, "password"),
    };
    for (const [key, secret] of Object.entries(generated)) secrets[key] = ecs.Secret.fromSecretsManager(secret);
    if (props.inngestSecretArn) {
      const inngest = secretsmanager.Secret.fromSecretCompleteArn(this, "InngestSecret", props.inngestSecretArn);
      secrets.INNGEST_SIGNING_KEY = ecs.Secret.fromSecretsManager(inngest, "INNGEST_SIGNING_KEY");
      secrets.INNGEST_EVENT_KEY = ecs.Secret.fromSecretsManager(inngest, "INNGEST_EVENT_KEY");
    }

    const container = taskDefinition.addContainer(CONTAINER_NAME, {
      // An image URI, not a CDK-built asset: CI builds and pushes the image, a deploy names its tag.
      image: ecs.ContainerImage.fromRegistry(imageUri.valueAsString),
      portMappings: [{ containerPort: APP_PORT, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: LOG_STREAM_PREFIX }),
      environment: {
        NODE_ENV: "production",
        PORT: String(APP_PORT),
        HOSTNAME: "0.0.0.0",
        // The image reads these when DATABASE_URL is unset, so the password stays a secret reference.
        DATABASE_HOST: db.dbInstanceEndpointAddress,
        DATABASE_PORT: db.dbInstanceEndpointPort,
        DATABASE_NAME: DB_NAME,
        DATABASE_SSL: "require",
        REDIS_URL: `rediss://${redis.attrPrimaryEndPointAddress}:6379`,
        // The ALB appends the client address to X-Forwarded-For: one trusted hop.
        TRUSTED_PROXY_HOPS: "1",
      },
      secrets,
      // No container health check: the ALB's /health check already replaces a failing task, and a
      // second one would double the kills while RDS fails over (/health answers 503 without the DB).
      // SIGTERM drains in-flight requests; ECS waits this long before SIGKILL.
      stopTimeout: Duration.seconds(30),
    });

    // fromRegistry grants no ECR pull (it can't know the repository): allow this account's repositories.
    const executionRole = taskDefinition.obtainExecutionRole();
    executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }),
    );
    executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        resources: [`arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/*`],
      }),
    );

    this.service = new ecs.FargateService(this, "Service", {
      cluster,
      taskDefinition,
      securityGroups: [taskSg],
      vpcSubnets: appSubnets,
      assignPublicIp: false,
      // Rolling replacement at full capacity (new tasks first, old ones drained after) with automatic
      // rollback: a deployment whose tasks don't pass /health goes back to the last good revision.
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
    });
    // No DesiredCount in the template: CloudFormation would reset the autoscaled count to it on
    // every deploy (aws-cdk#3919), scaling a busy service down mid-deploy. Autoscaling's minimum
    // (2, below) keeps at least two tasks running.
    (this.service.node.defaultChild as ecs.CfnService).addPropertyDeletionOverride("DesiredCount");

    const scaling = this.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
    // Target tracking adds tasks above 70 % and removes them once well below (seed 003: < 50 %).
    scaling.scaleOnCpuUtilization("Cpu70", {
      targetUtilizationPercent: 70,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });

    // ---- ALB: HTTPS on 443 with the given ACM certificate, 80 redirects, /health every 30 s.
    const alb = new elbv2.ApplicationLoadBalancer(this, "Alb", {
      vpc: this.vpc,
      internetFacing: true,
      vpcSubnets: { subnetGroupName: "public" },
      securityGroup: albSg,
      // TRUSTED_PROXY_HOPS=1 trusts the header the ALB writes; malformed ones are dropped, not passed on.
      dropInvalidHeaderFields: true,
    });
    const https = alb.addListener("Https", {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(certificateArn.valueAsString)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: true,
    });
    alb.addRedirect({ sourcePort: 80, sourceProtocol: elbv2.ApplicationProtocol.HTTP, targetPort: 443, targetProtocol: elbv2.ApplicationProtocol.HTTPS });
    const targetGroup = https.addTargets("App", {
      port: APP_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: APP_PORT })],
      healthCheck: {
        path: "/health",
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        healthyHttpCodes: "200",
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      // The app finishes in-flight requests on SIGTERM; uploads are the longest of them.
      deregistrationDelay: Duration.seconds(30),
    });

    // ---- The migration: one task of the service's own task definition (same image, env and
    // secrets) with `node migrate.cjs`, run and awaited before the service may update.
    const migrationCode = lambda.Code.fromAsset(path.join(import.meta.dirname, "..", "lambda", "migration"));
    const startFn = new lambda.Function(this, "MigrationStart", {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "index.onEvent",
      code: migrationCode,
      timeout: Duration.minutes(1),
      description: "Starts the database migration task (Custom::DbMigration)",
    });
    const checkFn = new lambda.Function(this, "MigrationCheck", {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "index.isComplete",
      code: migrationCode,
      timeout: Duration.minutes(1),
      description: "Polls the database migration task until it stops (Custom::DbMigration)",
    });
    taskDefinition.grantRun(startFn); // ecs:RunTask on this family + iam:PassRole for its roles
    checkFn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["ecs:DescribeTasks"],
        resources: ["*"],
        conditions: { ArnEquals: { "ecs:cluster": cluster.clusterArn } },
      }),
    );
    const provider = new cr.Provider(this, "MigrationProvider", {
      onEventHandler: startFn,
      isCompleteHandler: checkFn,
      queryInterval: Duration.seconds(15),
      totalTimeout: Duration.minutes(30),
    });
    this.migration = new CustomResource(this, "Migration", {
      serviceToken: provider.serviceToken,
      resourceType: "Custom::DbMigration",
      properties: {
        // The key: a new image changes this property, so CloudFormation sends an Update and the
        // migration runs again. (A task definition change alone also re-runs it; migrate.cjs is
        // idempotent under its advisory lock.)
        Image: imageUri.valueAsString,
        TaskDefinition: taskDefinition.taskDefinitionArn,
        Cluster: cluster.clusterArn,
        ContainerName: CONTAINER_NAME,
        Command: ["node", "migrate.cjs"],
        Subnets: this.vpc.selectSubnets(appSubnets).subnetIds,
        SecurityGroups: [taskSg.securityGroupId],
        LogGroup: logGroup.logGroupName,
        LogStreamPrefix: LOG_STREAM_PREFIX,
      },
    });
    // The task pulls its image and secrets through the NAT gateways.
    this.migration.node.addDependency(this.vpc.selectSubnets(appSubnets).internetConnectivityEstablished);
    // The service updates only after the migration succeeded; a failed one fails the deploy first.
    this.service.node.addDependency(this.migration);

    // ---- Alarms → SNS (seed 003: CloudWatch → SNS → email).
    const topic = new sns.Topic(this, "Alarms", { displayName: "coupons alarms" });
    if (props.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new cwActions.SnsAction(topic);
    const fiveMinutes = Duration.minutes(5);

    const sum = { statistic: cloudwatch.Stats.SUM, period: fiveMinutes };
    // ELB 5xx (502/503/504) count too: with every task down the targets answer nothing at all.
    const errorRate = new cloudwatch.MathExpression({
      label: "5xx % of requests",
      expression:
        "IF((FILL(requests, 0) + FILL(elb5xx, 0)) > 0, " +
        "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)",
      usingMetrics: {
        target5xx: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sum),
        elb5xx: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, sum),
        requests: alb.metrics.requestCount(sum),
      },
      period: fiveMinutes,
    });
    const alarms = [
      new cloudwatch.Alarm(this, "Http5xxAlarm", {
        alarmDescription: `5xx answers above ${THRESHOLDS.http5xxPercent} % of requests for 10 minutes (runbooks/reservation-leaks-and-alerts.md)`,
        metric: errorRate,
        threshold: THRESHOLDS.http5xxPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, "LatencyP95Alarm", {
        alarmDescription: `ALB target response time p95 above ${THRESHOLDS.latencyP95Seconds} s for 10 minutes (docs/slo.md)`,
        metric: targetGroup.metrics.targetResponseTime({ statistic: "p95", period: fiveMinutes }),
        threshold: THRESHOLDS.latencyP95Seconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, "EcsCpuAlarm", {
        alarmDescription: `Service CPU above ${THRESHOLDS.ecsCpuPercent} % for 15 minutes: autoscaling is at its maximum or can't keep up`,
        metric: this.service.metricCpuUtilization({ statistic: cloudwatch.Stats.AVERAGE, period: fiveMinutes }),
        threshold: THRESHOLDS.ecsCpuPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }),
      new cloudwatch.Alarm(this, "DbConnectionsAlarm", {
        alarmDescription: `PostgreSQL connections above ${THRESHOLDS.dbConnections} for 10 minutes: pools near exhaustion or a leak`,
        metric: db.metricDatabaseConnections({ statistic: cloudwatch.Stats.MAXIMUM, period: fiveMinutes }),
        threshold: THRESHOLDS.dbConnections,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }),
    ];
    for (const alarm of alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }

    new CfnOutput(this, "LoadBalancerDns", { value: alb.loadBalancerDnsName, description: "CNAME/alias your domain here" });
    new CfnOutput(this, "ClusterName", { value: cluster.clusterName });
    new CfnOutput(this, "ServiceName", { value: this.service.serviceName });
    new CfnOutput(this, "AlarmTopicArn", { value: topic.topicArn });
    new CfnOutput(this, "DbSecretArn", { value: dbSecret.secretArn });
    new CfnOutput(this, "AppLogGroup", { value: logGroup.logGroupName });
  }
}
