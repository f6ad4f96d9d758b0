// Each test reads one property of seed 003's layout off the synthesized template (no AWS account:
// the stack is environment-agnostic). They were checked to fail when the property is changed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { App, Token } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { CouponsStack, THRESHOLDS } from "../lib/coupons-stack.ts";

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

const stack = new CouponsStack(new App(), "Test");
const template = Template.fromStack(stack);
const all = template.toJSON().Resources as Record<string, Resource>;

function ofType(type: string): [string, Resource][] {
  return Object.entries(all).filter(([, r]) => r.Type === type);
}
function only(type: string): [string, Resource] {
  const found = ofType(type);
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0]!;
}
/** `{ "Fn::GetAtt": [id, "GroupId"] }` or `{ Ref: id }` → id */
function logicalId(ref: any): string {
  const id = ref?.Ref ?? ref?.["Fn::GetAtt"]?.[0];
  assert.equal(typeof id, "string", `not a reference: ${JSON.stringify(ref)}`);
  return id;
}
const subnetIds = (group: string) =>
  stack.vpc.selectSubnets({ subnetGroupName: group }).subnetIds.map((id) => logicalId(stack.resolve(id)));

const [serviceId, service] = only("AWS::ECS::Service");
const [, taskDef] = only("AWS::ECS::TaskDefinition");
const container = taskDef.Properties.ContainerDefinitions[0];
const [migrationId, migration] = only("Custom::DbMigration");
const [dbId, db] = only("AWS::RDS::DBInstance");
const [redisId, redis] = only("AWS::ElastiCache::ReplicationGroup");
const [, alb] = only("AWS::ElasticLoadBalancingV2::LoadBalancer");

describe("network", () => {
  test("public subnets (ALB), private subnets with NAT egress (tasks), isolated subnets (RDS, Redis), in 2 AZs", () => {
    const [publicIds, appIds, dataIds] = [subnetIds("public"), subnetIds("app"), subnetIds("data")];
    for (const ids of [publicIds, appIds, dataIds]) assert.equal(ids.length, 2);

    // Where each subnet's default route goes: the internet gateway, a NAT gateway, or nowhere.
    const tableOf = Object.fromEntries(
      ofType("AWS::EC2::SubnetRouteTableAssociation").map(([, a]) => [logicalId(a.Properties.SubnetId), logicalId(a.Properties.RouteTableId)]),
    );
    const defaultRoute = (subnet: string) =>
      ofType("AWS::EC2::Route")
        .map(([, r]) => r.Properties)
        .find((p) => logicalId(p.RouteTableId) === tableOf[subnet] && p.DestinationCidrBlock === "0.0.0.0/0");
    for (const s of publicIds) {
      assert.ok(defaultRoute(s)?.GatewayId, `${s} routes to the internet gateway`);
      assert.equal(all[s]!.Properties.MapPublicIpOnLaunch, true);
    }
    for (const s of appIds) assert.ok(defaultRoute(s)?.NatGatewayId, `${s} reaches out through NAT only`);
    for (const s of dataIds) assert.equal(defaultRoute(s), undefined, `${s} has no route out`);

    assert.equal(alb.Properties.Scheme, "internet-facing");
    assert.deepEqual(alb.Properties.Subnets.map(logicalId).sort(), [...publicIds].sort());
    assert.deepEqual(service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets.map(logicalId).sort(), [...appIds].sort());
    assert.equal(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, "DISABLED");
    const [, dbSubnets] = only("AWS::RDS::DBSubnetGroup");
    assert.deepEqual(dbSubnets.Properties.SubnetIds.map(logicalId).sort(), [...dataIds].sort());
    const [, redisSubnets] = only("AWS::ElastiCache::SubnetGroup");
    assert.deepEqual(redisSubnets.Properties.SubnetIds.map(logicalId).sort(), [...dataIds].sort());
  });
});

describe("load balancer", () => {
  test("HTTPS on 443 with the CertificateArn parameter; HTTP 80 redirects to 443", () => {
    template.hasParameter("CertificateArn", { Type: "String" });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 443,
      Protocol: "HTTPS",
      Certificates: [{ CertificateArn: { Ref: "CertificateArn" } }],
      DefaultActions: [Match.objectLike({ Type: "forward" })],
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
    });
    assert.equal(ofType("AWS::ElasticLoadBalancingV2::Listener").length, 2, "no other listener");
  });

  test("the target group checks /health every 30 s on the tasks' port 3000", () => {
    const [tgId, tg] = only("AWS::ElasticLoadBalancingV2::TargetGroup");
    assert.equal(tg.Properties.HealthCheckPath, "/health");
    assert.equal(tg.Properties.HealthCheckIntervalSeconds, 30);
    assert.equal(tg.Properties.Matcher.HttpCode, "200");
    assert.equal(tg.Properties.Port, 3000);
    assert.equal(tg.Properties.TargetType, "ip");
    assert.deepEqual(service.Properties.LoadBalancers, [{ ContainerName: "app", ContainerPort: 3000, TargetGroupArn: { Ref: tgId } }]);
  });
});

describe("ECS Fargate service", () => {
  test("tasks of 0.5 vCPU and 1 GB on port 3000, the ImageUri parameter's image, logs to CloudWatch", () => {
    template.hasParameter("ImageUri", { Type: "String" });
    assert.equal(taskDef.Properties.Cpu, "512");
    assert.equal(taskDef.Properties.Memory, "1024");
    assert.deepEqual(taskDef.Properties.RequiresCompatibilities, ["FARGATE"]);
    assert.equal(service.Properties.LaunchType, "FARGATE");
    assert.equal(taskDef.Properties.ContainerDefinitions.length, 1);
    assert.deepEqual(container.Image, { Ref: "ImageUri" });
    assert.deepEqual(container.PortMappings, [{ ContainerPort: 3000, Protocol: "tcp" }]);
    assert.equal(container.LogConfiguration.LogDriver, "awslogs");
    const group = logicalId(container.LogConfiguration.Options["awslogs-group"]);
    assert.equal(all[group]!.Type, "AWS::Logs::LogGroup");
  });

  test("at least 2 tasks, autoscaled 2–10 on average CPU 70 %", () => {
    // The template leaves DesiredCount out on purpose (a deploy would otherwise reset the autoscaled
    // count); the scalable target's minimum is what keeps two tasks up.
    const desired = service.Properties.DesiredCount;
    assert.ok(desired === undefined || desired >= 2, `DesiredCount ${desired}`);
    const [targetId, target] = only("AWS::ApplicationAutoScaling::ScalableTarget");
    assert.equal(target.Properties.MinCapacity, 2);
    assert.equal(target.Properties.MaxCapacity, 10);
    assert.equal(target.Properties.ScalableDimension, "ecs:service:DesiredCount");
    assert.ok(JSON.stringify(target.Properties.ResourceId).includes(`"${serviceId}"`), "scales this service");
    const [, policy] = only("AWS::ApplicationAutoScaling::ScalingPolicy");
    assert.deepEqual(policy.Properties.ScalingTargetId, { Ref: targetId });
    const config = policy.Properties.TargetTrackingScalingPolicyConfiguration;
    assert.equal(config.PredefinedMetricSpecification.PredefinedMetricType, "ECSServiceAverageCPUUtilization");
    assert.equal(config.TargetValue, 70);
  });

  test("deployment circuit breaker with automatic rollback, never below full capacity", () => {
    const deployment = service.Properties.DeploymentConfiguration;
    assert.deepEqual(deployment.DeploymentCircuitBreaker, { Enable: true, Rollback: true });
    assert.equal(deployment.MinimumHealthyPercent, 100);
    assert.ok(deployment.MaximumPercent >= 200);
    assert.equal(service.Properties.DeploymentController?.Type ?? "ECS", "ECS", "the circuit breaker needs the ECS controller");
  });
});

describe("migration", () => {
  test("a one-off task of the service's task definition running `node migrate.cjs`, keyed on the image", () => {
    assert.deepEqual(migration.Properties.Command, ["node", "migrate.cjs"]);
    // Same task definition as the service: same image, env and secrets, by construction.
    assert.deepEqual(migration.Properties.TaskDefinition, service.Properties.TaskDefinition);
    assert.equal(migration.Properties.ContainerName, container.Name);
    // A new ImageUri changes this property: CloudFormation sends an Update and the task runs again.
    assert.deepEqual(migration.Properties.Image, { Ref: "ImageUri" });
    assert.deepEqual(container.Image, migration.Properties.Image);
    // It runs where the tasks run, with their security group (the one RDS admits).
    const network = service.Properties.NetworkConfiguration.AwsvpcConfiguration;
    assert.deepEqual(migration.Properties.Subnets, network.Subnets);
    assert.deepEqual(migration.Properties.SecurityGroups, network.SecurityGroups);
  });

  test("the service depends on the migration, so a failed migration fails the deploy before new tasks start", () => {
    assert.ok(service.DependsOn?.includes(migrationId), `Service DependsOn ${JSON.stringify(service.DependsOn)}`);
  });

  test("the provider starts the task and polls it with an isComplete handler", () => {
    const handlers = ofType("AWS::Lambda::Function").map(([id, f]) => [id, f.Properties.Handler] as const);
    const start = handlers.find(([, h]) => h === "index.onEvent");
    const check = handlers.find(([, h]) => h === "index.isComplete");
    assert.ok(start && check, JSON.stringify(handlers));
    // The custom resource calls the framework's onEvent function, which runs ours and then the
    // waiter that polls isComplete.
    const framework = all[logicalId(migration.Properties.ServiceToken)]!;
    const frameworkEnv = framework.Properties.Environment.Variables;
    assert.equal(logicalId(frameworkEnv.USER_ON_EVENT_FUNCTION_ARN), start[0]);
    assert.equal(logicalId(frameworkEnv.USER_IS_COMPLETE_FUNCTION_ARN), check[0]);
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: "ecs:RunTask" })]) },
      Roles: [{ Ref: all[start[0]]!.Properties.Role["Fn::GetAtt"][0] }],
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: "ecs:DescribeTasks" })]) },
      Roles: [{ Ref: all[check[0]]!.Properties.Role["Fn::GetAtt"][0] }],
    });
  });
});

describe("RDS PostgreSQL", () => {
  test("PostgreSQL 15, Multi-AZ, ≥ 7 days of backups, encrypted, deletion-protected, private, TLS forced", () => {
    const p = db.Properties;
    assert.equal(p.Engine, "postgres");
    assert.match(String(p.EngineVersion), /^15(\.|$)/);
    assert.equal(p.MultiAZ, true);
    assert.ok(p.BackupRetentionPeriod >= 7, `BackupRetentionPeriod ${p.BackupRetentionPeriod}`);
    assert.equal(p.StorageEncrypted, true);
    assert.equal(p.DeletionProtection, true);
    assert.equal(p.PubliclyAccessible, false);
    assert.equal(p.DBInstanceClass, "db.t4g.medium");
    assert.equal(all[logicalId(p.DBParameterGroupName)]!.Properties.Parameters["rds.force_ssl"], "1");
  });

  test("credentials generated into Secrets Manager", () => {
    const password = JSON.stringify(db.Properties.MasterUserPassword);
    assert.match(password, /resolve:secretsmanager:/);
    const secretId = logicalId(db.Properties.MasterUserPassword["Fn::Join"][1][1]);
    const secret = all[secretId]!;
    assert.equal(secret.Type, "AWS::SecretsManager::Secret");
    assert.equal(secret.Properties.GenerateSecretString.GenerateStringKey, "password");
    assert.equal(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate).username, db.Properties.MasterUsername);
  });
});

describe("ElastiCache Redis", () => {
  test("a replication group with automatic failover across AZs, TLS, reached as REDIS_URL=rediss://<primary>:6379", () => {
    const p = redis.Properties;
    assert.equal(p.Engine, "redis");
    assert.ok(p.NumCacheClusters >= 2, "a replica to fail over to");
    assert.equal(p.AutomaticFailoverEnabled, true);
    assert.equal(p.MultiAZEnabled, true);
    assert.equal(p.TransitEncryptionEnabled, true);
    assert.equal(p.AtRestEncryptionEnabled, true);
    const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
    assert.deepEqual(env.REDIS_URL, { "Fn::Join": ["", ["rediss://", { "Fn::GetAtt": [redisId, "PrimaryEndPoint.Address"] }, ":6379"]] });
  });
});

describe("security groups", () => {
  /** Every ingress rule of a group: inline ones and standalone AWS::EC2::SecurityGroupIngress. */
  function ingressOf(groupId: string): any[] {
    const inline = all[groupId]!.Properties.SecurityGroupIngress ?? [];
    const standalone = ofType("AWS::EC2::SecurityGroupIngress")
      .map(([, r]) => r.Properties)
      .filter((p) => logicalId(p.GroupId) === groupId);
    return [...inline, ...standalone];
  }
  const groupsOf = (refs: any[]) => refs.map(logicalId);
  const [taskSg] = groupsOf(service.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups);
  const [albSg] = groupsOf(alb.Properties.SecurityGroups);
  const [dbSg] = groupsOf(db.Properties.VPCSecurityGroups);
  const [redisSg] = groupsOf(redis.Properties.SecurityGroupIds);
  const rule = (p: any) => ({ from: p.SourceSecurityGroupId ? logicalId(p.SourceSecurityGroupId) : p.CidrIp ?? p.CidrIpv6, port: [p.FromPort, p.ToPort] });

  test("each tier has its own group", () => {
    assert.equal(new Set([taskSg, albSg, dbSg, redisSg]).size, 4);
  });

  test("only the ALB reaches the tasks, on 3000", () => {
    assert.deepEqual(ingressOf(taskSg!).map(rule), [{ from: albSg, port: [3000, 3000] }]);
  });

  test("only the tasks reach RDS on 5432 and Redis on 6379; nothing from 0.0.0.0/0", () => {
    assert.deepEqual(ingressOf(dbSg!).map(rule), [{ from: taskSg, port: [5432, 5432] }]);
    assert.deepEqual(ingressOf(redisSg!).map(rule), [{ from: taskSg, port: [6379, 6379] }]);
    for (const p of [...ingressOf(dbSg!), ...ingressOf(redisSg!)]) {
      assert.equal(p.CidrIp, undefined);
      assert.equal(p.CidrIpv6, undefined);
    }
  });
});

describe("secrets and environment", () => {
  const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
  const secrets = Object.fromEntries(container.Secrets.map((s: any) => [s.Name, s.ValueFrom]));

  test("the RDS secret's username/password keys as DATABASE_USER/DATABASE_PASSWORD; host, port, name, SSL as plain env", () => {
    const dbSecretRef = { Ref: ofType("AWS::SecretsManager::SecretTargetAttachment")[0]![0] };
    assert.deepEqual(secrets.DATABASE_USER, { "Fn::Join": ["", [dbSecretRef, ":username::"]] });
    assert.deepEqual(secrets.DATABASE_PASSWORD, { "Fn::Join": ["", [dbSecretRef, ":password::"]] });
    assert.deepEqual(env.DATABASE_HOST, { "Fn::GetAtt": [dbId, "Endpoint.Address"] });
    assert.deepEqual(env.DATABASE_PORT, { "Fn::GetAtt": [dbId, "Endpoint.Port"] });
    assert.equal(env.DATABASE_NAME, db.Properties.DBName);
    assert.equal(env.DATABASE_SSL, "require");
    assert.equal(env.TRUSTED_PROXY_HOPS, "1");
    // No credential in plain text: no URL with a password, no secret-looking plain variable.
    for (const name of Object.keys(env)) assert.doesNotMatch(name, /PASSWORD|SECRET|TOKEN|_KEY|DATABASE_URL|DATABASE_USER/);
  });

  test("AUTH_SECRET, CODE_HASH_SECRET, INTERNAL_API_TOKEN and METRICS_TOKEN are generated secrets", () => {
    for (const name of ["AUTH_SECRET", "CODE_HASH_SECRET", "INTERNAL_API_TOKEN", "METRICS_TOKEN"]) {
      const secret = all[logicalId(secrets[name])];
      assert.equal(secret?.Type, "AWS::SecretsManager::Secret", name);
      assert.ok(secret!.Properties.GenerateSecretString.PasswordLength >= 32, name);
      assert.equal(secret!.Properties.SecretString, undefined, `${name} has no value in the template`);
    }
    // The execution role may read them (ECS injects them before the app starts).
    const [, executionPolicy] = ofType("AWS::IAM::Policy").find(([id]) => id.startsWith("TaskDefExecutionRole"))!;
    const readable = JSON.stringify(
      executionPolicy.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes("secretsmanager:GetSecretValue")),
    );
    for (const name of ["AUTH_SECRET", "CODE_HASH_SECRET", "INTERNAL_API_TOKEN", "METRICS_TOKEN"]) {
      assert.ok(readable.includes(`"${logicalId(secrets[name])}"`), `${name} readable by the execution role`);
    }
  });

  test("Inngest keys come from a given secret when the inngestSecretArn context is set", () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:coupons/inngest-AbCdEf";
    const withInngest = Template.fromStack(new CouponsStack(new App(), "WithInngest", { inngestSecretArn: arn }));
    const [, td] = Object.entries(withInngest.findResources("AWS::ECS::TaskDefinition"))[0]!;
    const names = td.Properties.ContainerDefinitions[0].Secrets.map((s: any) => s.Name);
    assert.ok(names.includes("INNGEST_SIGNING_KEY") && names.includes("INNGEST_EVENT_KEY"));
    assert.ok(!container.Secrets.some((s: any) => s.Name.startsWith("INNGEST_")), "absent by default");
  });
});

describe("alarms", () => {
  const [topicId] = only("AWS::SNS::Topic");
  const alarms = ofType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
  const metricNames = (a: any) => [a.MetricName, ...(a.Metrics ?? []).map((m: any) => m.MetricStat?.Metric.MetricName)].filter(Boolean);
  const alarmOn = (metric: string) => {
    const found = alarms.filter((a) => metricNames(a).includes(metric));
    assert.equal(found.length, 1, `one alarm on ${metric}`);
    return found[0]!;
  };

  test("every alarm notifies the SNS topic", () => {
    assert.equal(alarms.length, 4);
    for (const a of alarms) assert.deepEqual(a.AlarmActions, [{ Ref: topicId }]);
  });

  test("ALB 5xx: target (and ELB) 5xx share of requests above 2 % for 10 minutes", () => {
    const a = alarmOn("HTTPCode_Target_5XX_Count");
    assert.ok(metricNames(a).includes("HTTPCode_ELB_5XX_Count") && metricNames(a).includes("RequestCount"));
    assert.equal(a.Threshold, THRESHOLDS.http5xxPercent);
    assert.equal(THRESHOLDS.http5xxPercent, 2);
    assert.equal(a.ComparisonOperator, "GreaterThanThreshold");
    assert.equal(a.EvaluationPeriods * a.Metrics[1].MetricStat.Period, 600);
  });

  test("latency: TargetResponseTime p95 above 0.3 s for 10 minutes", () => {
    const a = alarmOn("TargetResponseTime");
    assert.equal(a.ExtendedStatistic, "p95");
    assert.equal(a.Threshold, 0.3);
    assert.equal(a.EvaluationPeriods * a.Period, 600);
  });

  test("ECS service CPU and RDS DatabaseConnections", () => {
    const cpu = alarmOn("CPUUtilization");
    assert.equal(cpu.Namespace, "AWS/ECS");
    assert.ok(JSON.stringify(cpu.Dimensions).includes(`"${serviceId}"`));
    assert.equal(cpu.Threshold, THRESHOLDS.ecsCpuPercent);
    assert.ok(cpu.Threshold > 70, "above the scaling target, or it would fire on every scale-out");
    const connections = alarmOn("DatabaseConnections");
    assert.equal(connections.Namespace, "AWS/RDS");
    assert.deepEqual(connections.Dimensions, [{ Name: "DBInstanceIdentifier", Value: { Ref: dbId } }]);
    assert.equal(connections.Threshold, THRESHOLDS.dbConnections);
  });
});

test("synthesizes without an AWS account or region", () => {
  assert.ok(Token.isUnresolved(stack.account) && Token.isUnresolved(stack.region));
  assert.doesNotMatch(JSON.stringify(template.toJSON()), /arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:\d{12}:/);
});
