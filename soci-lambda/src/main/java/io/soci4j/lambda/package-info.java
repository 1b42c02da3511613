/** An AWS Lambda handler that makes every image pushed to ECR SOCI-enabled: {@link io.soci4j.lambda.IndexOnPush}. */
package io.soci4j.lambda;
